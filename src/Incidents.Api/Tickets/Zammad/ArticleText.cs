using System.Net;
using System.Text.RegularExpressions;

namespace Incidents.Tickets.Zammad;

/// <summary>An article body as plain text for the chat: HTML bodies lose their tags (block ends become line breaks).</summary>
internal static partial class ArticleText
{
    public static string ToPlain(string body, string? contentType)
    {
        if (contentType is null || !contentType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return body.ReplaceLineEndings("\n").Trim();
        }
        var text = Breaks().Replace(body.ReplaceLineEndings(" "), "\n");
        text = WebUtility.HtmlDecode(Tags().Replace(text, ""));
        text = Spaces().Replace(text.Replace('\u00A0', ' '), " ");
        return BlankLines().Replace(string.Join('\n', text.Split('\n').Select(l => l.Trim())), "\n\n").Trim();
    }

    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|pre)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("[ \t]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
