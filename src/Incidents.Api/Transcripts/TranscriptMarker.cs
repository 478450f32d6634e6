using System.Globalization;
using System.Text.RegularExpressions;
using Incidents.Transcripts.Markup;

namespace Incidents.Transcripts;

/// <summary>
/// The markers that frame every transcript comment. The first line names the channel, the part, the SHA-256 of
/// the part's body and of the whole transcript (its canonical JSON); a retried export finds the parts it already
/// posted by it, and verification checks each body against its hash. The visible header sits between the marker
/// and the body-start line and is not hashed. Each markup wraps the marker lines its own way (an HTML comment in
/// Markdown, a plain line where the markup cannot hide text); the marker text itself is the same everywhere.
/// </summary>
internal static partial class TranscriptMarker
{
    /// <summary>Found in every transcript comment in every markup: the service's own writes are recognised by it.</summary>
    public const string Prefix = "incidents:transcript channel=";
    public const string BodyMarker = "incidents:body";
    public const string ManifestMarker = "incidents:manifest";

    public static string ForChannel(Guid channelId) => $"{Prefix}{channelId:N} ";

    public static string Text(Guid channelId, int part, int parts, string partSha256, string transcriptSha256) =>
        string.Create(CultureInfo.InvariantCulture, $"{ForChannel(channelId)}part={part}/{parts} sha256={partSha256} transcript={transcriptSha256}");

    /// <summary>A parsed comment; the body is cut out of the text only when asked for (comments are large).</summary>
    public sealed record Parsed(int Part, int Parts, string PartSha256, string TranscriptSha256, string Text, int BodyIndex)
    {
        public string Body => Text[BodyIndex..];

        public string BodySha256() => Sha256Utf8(Text.AsSpan(BodyIndex));
    }

    /// <summary>SHA-256 (lowercase hex) of the UTF-8 bytes of <paramref name="text"/>, through a pooled buffer.</summary>
    public static string Sha256Utf8(ReadOnlySpan<char> text)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(text, buffer);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.AsSpan(0, length)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a comment written by the service in <paramref name="markup"/> (Markdown by default); null when it is not one (or was cut).</summary>
    public static Parsed? TryParse(string comment, TicketMarkup? markup = null)
    {
        markup ??= MarkdownMarkup.Instance;
        var text = comment.Contains('\r', StringComparison.Ordinal) ? comment.ReplaceLineEndings("\n") : comment;
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? text : text[..newline];
        var match = MarkerRegex().Match(first);
        var bodyStart = "\n" + markup.BodyStart + "\n";
        var body = text.IndexOf(bodyStart, StringComparison.Ordinal);
        if (!match.Success || body < 0 || first != markup.MarkerLine(match.Value))
        {
            return null;
        }
        return new Parsed(
            int.Parse(match.Groups["part"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["parts"].Value, CultureInfo.InvariantCulture),
            match.Groups["sha"].Value,
            match.Groups["transcript"].Value,
            text,
            body + bodyStart.Length);
    }

    [GeneratedRegex(@"incidents:transcript channel=[0-9a-f]{32} part=(?<part>\d{1,5})/(?<parts>\d{1,5}) sha256=(?<sha>[0-9a-f]{64}) transcript=(?<transcript>[0-9a-f]{64})")]
    private static partial Regex MarkerRegex();
}
