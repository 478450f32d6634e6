using System.Globalization;
using System.Text.RegularExpressions;

namespace Incidents.Transcripts;

/// <summary>
/// The hidden HTML comments that frame every transcript comment. The first line names the channel, the part,
/// the SHA-256 of the part's body and of the whole transcript (its canonical JSON); a retried export finds the
/// parts it already posted by it, and verification checks each body against its hash. The visible header
/// sits between the marker and the <see cref="BodyStart"/> line and is not hashed.
/// </summary>
internal static partial class TranscriptMarker
{
    public const string Prefix = "<!-- incidents:transcript";
    public const string BodyStart = "<!-- incidents:body -->";
    public const string ManifestStart = "<!-- incidents:manifest -->";

    public static string ForChannel(Guid channelId) => $"{Prefix} channel={channelId:N} ";

    public static string Line(Guid channelId, int part, int parts, string partSha256, string transcriptSha256) =>
        string.Create(CultureInfo.InvariantCulture, $"{ForChannel(channelId)}part={part}/{parts} sha256={partSha256} transcript={transcriptSha256} -->");

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

    /// <summary>Reads a comment written by the service; null when it is not one (or was cut).</summary>
    public static Parsed? TryParse(string comment)
    {
        var text = comment.Contains('\r', StringComparison.Ordinal) ? comment.ReplaceLineEndings("\n") : comment;
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var match = MarkerRegex().Match(newline < 0 ? text : text[..newline]);
        var body = text.IndexOf("\n" + BodyStart + "\n", StringComparison.Ordinal);
        if (!match.Success || body < 0)
        {
            return null;
        }
        return new Parsed(
            int.Parse(match.Groups["part"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["parts"].Value, CultureInfo.InvariantCulture),
            match.Groups["sha"].Value,
            match.Groups["transcript"].Value,
            text,
            body + BodyStart.Length + 2);
    }

    [GeneratedRegex(@"^<!-- incidents:transcript channel=[0-9a-f]{32} part=(?<part>\d{1,5})/(?<parts>\d{1,5}) sha256=(?<sha>[0-9a-f]{64}) transcript=(?<transcript>[0-9a-f]{64}) -->$")]
    private static partial Regex MarkerRegex();
}
