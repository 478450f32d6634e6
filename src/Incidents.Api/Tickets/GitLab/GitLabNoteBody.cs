using System.Globalization;
using System.Text.RegularExpressions;

namespace Incidents.Tickets.GitLab;

/// <summary>
/// What the service writes into GitLab notes, and how it reads it back byte for byte. GitLab stores a note after
/// running it through its quick-action extractor, which deletes every <c>\r</c> and strips trailing whitespace from
/// the whole note; a transcript part usually ends with a line break, so every note the service writes ends with an
/// end marker that the read-back removes again. (Quick-action lines themselves are neutralised by
/// <see cref="GitLabMarkup"/>, because they are part of the hashed body.)
/// </summary>
internal static partial class GitLabNoteBody
{
    /// <summary>Ends every note the service writes; hidden by GitLab's Markdown like every HTML comment.</summary>
    public const string EndMarker = "<!-- incidents:end -->";

    /// <summary>Opens the note that carries the transcript file's upload link (found again by it, and never relayed as a comment).</summary>
    public const string AttachmentMarker = "<!-- incidents:attachment -->";

    public static string Encode(string body) => body + "\n" + EndMarker;

    /// <summary>The body as written: the end marker and the line break before it are removed; other notes are returned as they are.</summary>
    public static string Decode(string stored)
    {
        var text = stored.Contains('\r', StringComparison.Ordinal) ? stored.ReplaceLineEndings("\n") : stored;
        return text.EndsWith("\n" + EndMarker, StringComparison.Ordinal) ? text[..^(EndMarker.Length + 1)] : text;
    }

    /// <summary>The note announcing an uploaded file: the marker, then the upload's own Markdown link.</summary>
    public static string Attachment(string description, string uploadMarkdown, long size, string sha256) => string.Create(CultureInfo.InvariantCulture,
        $"{AttachmentMarker}\n📎 {description}: {uploadMarkdown} ({size} bytes, SHA-256 `{sha256}`)\n{EndMarker}");

    /// <summary>The uploads an attachment note links to: <c>/uploads/&lt;32 hex secret&gt;/&lt;file name&gt;</c>, with the size it states.</summary>
    public static IEnumerable<(string Secret, string FileName, long Size)> Uploads(string note)
    {
        if (!note.StartsWith(AttachmentMarker, StringComparison.Ordinal))
        {
            yield break;
        }
        var size = SizeRegex().Match(note) is { Success: true } s && long.TryParse(s.Groups["size"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        foreach (Match m in UploadRegex().Matches(note))
        {
            yield return (m.Groups["secret"].Value, Uri.UnescapeDataString(m.Groups["name"].Value), size);
        }
    }

    /// <summary>The secret and file name of an upload's <c>url</c> (<c>/uploads/&lt;secret&gt;/&lt;file name&gt;</c>); null when it is not one.</summary>
    public static (string Secret, string FileName)? UploadOf(string url) =>
        UploadRegex().Match($"]({url})") is { Success: true } m && m.Index == 0 && m.Length == url.Length + 3
            ? (m.Groups["secret"].Value, Uri.UnescapeDataString(m.Groups["name"].Value))
            : null;

    /// <summary>
    /// The name GitLab stores an upload under: CarrierWave keeps word characters, '.', '-' and '+' and turns every other
    /// character into '_'.
    /// </summary>
    public static string StoredFileName(string fileName)
    {
        var name = FileNameRegex().Replace(Path.GetFileName(fileName.Replace('\\', '/')), "_");
        return name.Length == 0 ? "unnamed" : name.Trim('.').Length == 0 ? "_" + name : name;
    }

    [GeneratedRegex(@"\]\(/uploads/(?<secret>[0-9a-f]{32})/(?<name>[^/)\s]{1,255})\)")]
    private static partial Regex UploadRegex();

    [GeneratedRegex(@"\((?<size>\d{1,19}) bytes, SHA-256 `")]
    private static partial Regex SizeRegex();

    [GeneratedRegex(@"[^\w.\-+]")]
    private static partial Regex FileNameRegex();
}
