using System.Globalization;
using System.Text.Json;

namespace Incidents.Tickets.Jira;

/// <summary>Reading Jira's JSON: missing parts read as null, strings are cleaned of U+0000, times in Jira's formats.</summary>
internal static class JiraJson
{
    /// <summary>Jira ids (issue, comment, attachment) are decimal strings; anything else is not an id.</summary>
    public static bool IsId(string? text) => text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit);

    /// <summary>A required id, given as a string (as Jira does) or a number.</summary>
    public static string Id(JsonElement e, string what)
    {
        var id = Raw(e, what[(what.LastIndexOf('.') + 1)..]);
        return IsId(id) ? id : throw new FormatException($"{what} is missing or not a Jira id");
    }

    public static JsonElement Child(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    /// <summary>A string field; U+0000 (which PostgreSQL cannot store in text) becomes U+FFFD.</summary>
    public static string? Str(JsonElement e, string name) => PayloadJson.Str(e, name);

    /// <summary>A string or number field as written; empty when missing.</summary>
    public static string Raw(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString()!,
                JsonValueKind.Number => v.GetRawText(),
                _ => "",
            }
            : "";

    public static string Clean(string text) => PayloadJson.Clean(text);

    /// <summary>The items of an array field; none when it is missing or not an array.</summary>
    public static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    public static List<string> Strings(JsonElement e, string name) =>
        [.. Array(e, name).Where(i => i.ValueKind == JsonValueKind.String).Select(i => Clean(i.GetString()!))];

    /// <summary>A rich text field: wiki markup as a string (what webhooks carry) or an ADF document.</summary>
    public static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => Clean(v.GetString()!),
                JsonValueKind.Object => Clean(JiraAdf.PlainText(v)),
                _ => null,
            }
            : null;

    /// <summary>How a user is shown: display name (Cloud hides user names), else the user name or account id.</summary>
    public static string? UserName(JsonElement user) => Str(user, "displayName") ?? Str(user, "name") ?? Str(user, "accountId");

    /// <summary>Jira's time format, <c>2019-02-15T19:01:52.971-0800</c> (offset without a colon), or ISO 8601.</summary>
    public static DateTimeOffset? Time(JsonElement e, string name)
    {
        if (Str(e, name) is not { Length: >= 5 } text)
        {
            return null;
        }
        if (text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
        {
            text = text[..^2] + ":" + text[^2..];
        }
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>Milliseconds since the epoch (the webhook's <c>timestamp</c>); null when missing or not a number in range.</summary>
    public static DateTimeOffset? Epoch(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            && v.TryGetInt64(out var ms) && ms is > 0 and < 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
