using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// Redmine's Textile (its default text formatting). Textile cannot hide text, so the markers are plain visible
/// lines. Everything people wrote is shown literally: message texts go into <c>&lt;pre&gt;</c> blocks (code blocks
/// into <c>&lt;pre&gt;&lt;code class="lang"&gt;</c>, which Redmine highlights), names and titles into inline
/// <c>&lt;notextile&gt;</c>, where Redmine applies no Textile and escapes HTML. The only sequences that could end such
/// a block early (Redmine's "off tags" pre, code, kbd, notextile) get an invisible U+200B after their "&lt;", so they
/// show unchanged and cannot break out. Every block starts with a blank line, as Textile blocks must.
/// </summary>
internal sealed partial class TextileMarkup : TicketMarkup
{
    public static readonly TextileMarkup Instance = new();

    private const string ZeroWidthSpace = "\u200B";
    private const string JsonOpen = "<pre><code class=\"json\">";
    private const string JsonClose = "</code></pre>";

    public override string Name => "textile";

    public override string MarkerLine(string marker) => marker;

    public override string Header(TranscriptHeader m, int part, int parts) => string.Create(CultureInfo.InvariantCulture,
        $"\nh3. Chat transcript of @#{m.Channel}@ (part {part} of {parts})\n\n" +
        $"*Ticket:* {Link(m.TicketTitle, m.TicketUrl)}\n*Period:* {Period(m)}\n" +
        $"*Messages:* {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)\n*Participants:* {Literal(People(m.Participants))}\n\n");

    public override string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = Stamp(m.Timestamp);
        if (m.IsSystem)
        {
            return $"\np. {prefix}@{ts}@ _{Literal(SystemText(m))}_\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"\np. {prefix}@{ts}@ *{Literal("@" + m.Username)}*");
        if (EditedText(m) is { } edited)
        {
            sb.Append(" _").Append(Literal(edited)).Append('_');
        }
        if (m.Pinned)
        {
            sb.Append(" (pinned)");
        }
        sb.Append('\n');
        foreach (var (isCode, language, text) in Segments(m.Text))
        {
            if (text.Trim().Length == 0)
            {
                continue;
            }
            sb.Append(isCode && language is not null && CodeLanguage().IsMatch(language)
                ? $"\n<pre><code class=\"{language}\">\n{Preformatted(text)}\n</code></pre>\n"
                : $"\n<pre>\n{Preformatted(text)}\n</pre>\n");
        }
        var lines = new List<string>();
        foreach (var f in m.Files ?? [])
        {
            lines.Add(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"File: {Link(f.Name, kept.Link)} ({kept.Size} bytes, sha256 @{kept.Sha256[..12]}…@)")
                : $"File: {Literal(f.Name)} (file not kept)");
        }
        foreach (var a in m.Attachments ?? [])
        {
            var title = a.Title ?? a.AuthorName ?? "attachment";
            var link = a.TitleLink ?? a.MessageLink;
            var quote = "Quote: " + (link is null ? Literal(title) : Link(title, link));
            lines.Add(string.IsNullOrEmpty(a.Text) ? quote : $"{quote}: {Literal(a.Text)}");
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            lines.Add("Link: " + Link(l.Title!, l.Url));
        }
        if (ReactionsText(m) is { } reactions)
        {
            lines.Add("Reactions: " + Literal(reactions));
        }
        if (lines.Count > 0)
        {
            sb.Append("\np. ").AppendJoin('\n', lines).Append('\n');
        }
        return sb.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>A reply is its message block with its first paragraph indented.</summary>
    public override string Reply(string block) =>
        block.StartsWith("\np. ", StringComparison.Ordinal) ? "\np(. " + block["\np. ".Length..] : block;

    public override string NoMessages => "\np. _The channel had no messages._\n";

    public override string Rule => "\n----\n\n";

    public override string Manifest(TranscriptManifest m)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("\nh4. Transcript manifest\n\n");
        sb.Append(inv, $"*Messages:* {m.MessageCount} ({m.ThreadCount} threads)\n");
        sb.Append(inv, $"*Period:* {Period(m)}\n");
        sb.Append(inv, $"*Participants:* {Literal(People(m.Participants))}\n");
        sb.Append(inv, $"*Files:* {m.Files.Count} ({m.FileBytes} bytes)\n");
        sb.Append(inv, $"*JSON SHA-256:* @{m.JsonSha256}@\n\n");
        if (m.Files.Count > 0)
        {
            sb.Append("|_. file |_. size (bytes) |_. sha256 |\n");
            foreach (var f in m.Files)
            {
                sb.Append(inv, $"| {Literal(f.Name)} |>. {f.Size} | {(f.Sha256.Length == 0 ? "not kept" : $"@{f.Sha256}@")} |\n");
            }
            sb.Append('\n');
        }
        // The JSON writer escapes <, > and & (\u003C …), so nothing in it can end the block.
        return sb.Append(JsonOpen).Append('\n').Append(m.ToJson()).Append('\n').Append(JsonClose).Append('\n').ToString();
    }

    /// <summary>The manifest JSON is the last json code block.</summary>
    public override TranscriptManifest? ReadManifest(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var open = Array.FindLastIndex(lines, l => l == JsonOpen);
        if (open < 0)
        {
            return null;
        }
        var close = Array.FindIndex(lines, open + 1, l => l == JsonClose);
        return close < 0 ? null : TranscriptManifest.FromJson(string.Join('\n', lines[(open + 1)..close]));
    }

    /// <summary>Text for a <c>&lt;pre&gt;</c> block: shown as written, but unable to close the block.</summary>
    internal static string Preformatted(string text) => Defuse(text.ReplaceLineEndings("\n"));

    /// <summary>One line of text shown literally inside running Textile (no markup, no HTML, no macros).</summary>
    internal static string Literal(string text) =>
        "<notextile>" + Defuse(text.ReplaceLineEndings(" ")).Replace("{{", "{" + ZeroWidthSpace + "{", StringComparison.Ordinal) + "</notextile>";

    /// <summary>A link where the URL is plain enough for Textile's link syntax; otherwise the text and the URL, literally.</summary>
    private static string Link(string text, string url) =>
        SafeUrl().IsMatch(url) ? $"\"{Literal(text)}\":{url}" : Literal($"{text} ({url})");

    /// <summary>
    /// Redmine's Textile treats "&lt;pre", "&lt;code", "&lt;kbd", "&lt;notextile" (and its own "&lt;redpre#") as block
    /// boundaries wherever they appear, and "x%x%" as an escaped ampersand; U+200B keeps them from being read so.
    /// </summary>
    private static string Defuse(string text) =>
        OffTag().Replace(text, "<" + ZeroWidthSpace).Replace("x%x%", "x%" + ZeroWidthSpace + "x%", StringComparison.Ordinal);

    [GeneratedRegex("<(?=/?(?:pre|code|kbd|notextile|redpre))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OffTag();

    /// <summary>Redmine highlights only "class" values made of word characters; anything else stays a plain block.</summary>
    [GeneratedRegex("^[A-Za-z0-9_]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeLanguage();

    [GeneratedRegex(@"^https?://[A-Za-z0-9\-._~:/?#\[\]@$&'()*+,;=%]+[A-Za-z0-9/_=&#~\-]$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeUrl();
}
