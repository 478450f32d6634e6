using System.Globalization;
using System.Text.RegularExpressions;

namespace Incidents.Transcripts;

/// <summary>
/// The hidden HTML comment that starts every transcript comment: it lets a retried export find the parts it
/// already posted and lets verification check each part against the stored hash.
/// </summary>
internal static partial class TranscriptMarker
{
    public const string Prefix = "<!-- incidents:transcript";

    public static string ForChannel(Guid channelId) => $"{Prefix} channel={channelId:N} ";

    public static string Line(Guid channelId, int part, int parts, string sha256) =>
        string.Create(CultureInfo.InvariantCulture, $"{ForChannel(channelId)}part={part}/{parts} sha256={sha256} -->");

    /// <summary>Reads the marker on the first line of a comment; the content is everything after that line.</summary>
    public static bool TryParse(string body, out int part, out int parts, out string sha256, out string content)
    {
        part = parts = 0;
        sha256 = content = "";
        var newline = body.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? body : body[..newline];
        var match = MarkerRegex().Match(first.TrimEnd('\r'));
        if (!match.Success)
        {
            return false;
        }
        part = int.Parse(match.Groups["part"].Value, CultureInfo.InvariantCulture);
        parts = int.Parse(match.Groups["parts"].Value, CultureInfo.InvariantCulture);
        sha256 = match.Groups["sha"].Value;
        content = newline < 0 ? "" : body[(newline + 1)..].Replace("\r\n", "\n", StringComparison.Ordinal);
        return true;
    }

    [GeneratedRegex(@"^<!-- incidents:transcript channel=[0-9a-f]{32} part=(?<part>\d{1,5})/(?<parts>\d{1,5}) sha256=(?<sha>[0-9a-f]{64}) -->$")]
    private static partial Regex MarkerRegex();
}
