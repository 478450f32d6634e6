using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Stack;

/// <summary>
/// The captured GitHub deliveries of the integration tests re-pointed at any issue number: <c>issues.opened</c> (~13 KB),
/// <c>issue_comment.created</c> (comment k a minute after the previous one) and <c>issues.closed</c> (an hour after the open,
/// with the opened issue's fields so the close is not also an edit). Built once as templates with a placeholder number.
/// </summary>
internal sealed class TicketPayloads
{
    private const string Placeholder = "987654321";
    private const string CommentPlaceholder = "876543210";
    private readonly string _opened;
    private readonly string _comment;
    private readonly string _closed;

    public TicketPayloads()
    {
        var opened = JsonNode.Parse(File.ReadAllText(RepoPaths.Payload("issues.opened.json")))!;
        var original = opened["issue"]!["number"]!.GetValue<long>();
        RepoId = opened["repository"]!["id"]!.GetValue<long>();
        RepoName = opened["repository"]!["full_name"]!.GetValue<string>();
        var createdAt = DateTimeOffset.Parse(opened["issue"]!["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        _opened = RawTemplate(File.ReadAllText(RepoPaths.Payload("issues.opened.json")), original);

        var comment = JsonNode.Parse(File.ReadAllText(RepoPaths.Payload("issue_comment.created.json")))!;
        comment["repository"] = opened["repository"]!.DeepClone();
        comment["issue"] = opened["issue"]!.DeepClone();
        comment["comment"]!["id"] = long.Parse(CommentPlaceholder, CultureInfo.InvariantCulture);
        comment["comment"]!["body"] = "Comment " + CommentPlaceholder + ": looking into it.";
        comment["comment"]!["created_at"] = "COMMENT_AT";
        comment["comment"]!["updated_at"] = "COMMENT_AT";
        _comment = Template(comment, original);

        var closed = JsonNode.Parse(File.ReadAllText(RepoPaths.Payload("issues.closed.json")))!;
        closed["repository"] = opened["repository"]!.DeepClone();
        var issue = closed["issue"]!.AsObject();
        foreach (var field in new[] { "number", "html_url", "title", "user", "labels", "assignee", "assignees", "body", "created_at", "url", "id", "node_id" })
        {
            issue[field] = opened["issue"]![field]?.DeepClone();
        }

        var closedAt = Utc(createdAt.AddHours(1));
        issue["updated_at"] = closedAt;
        issue["closed_at"] = closedAt;
        issue["state"] = "closed";
        _closed = Template(closed, original);
        CreatedAt = createdAt;
    }

    public long RepoId { get; }

    public string RepoName { get; }

    public DateTimeOffset CreatedAt { get; }

    public string TicketKey(long number) => string.Create(CultureInfo.InvariantCulture, $"github:{RepoId}:{number}");

    public string Opened(long number) => _opened.Replace(Placeholder, Num(number), StringComparison.Ordinal);

    public string Comment(long number, int k) => _comment
        .Replace(Placeholder, Num(number), StringComparison.Ordinal)
        .Replace(CommentPlaceholder, Num((number * 10) + k), StringComparison.Ordinal)
        .Replace("COMMENT_AT", Utc(CreatedAt.AddMinutes(k + 1)), StringComparison.Ordinal);

    public string Closed(long number) => _closed.Replace(Placeholder, Num(number), StringComparison.Ordinal);

    public static string Signature(byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BenchStack.WebhookSecret), body));

    private static string Template(JsonNode payload, long original)
    {
        payload["issue"]!["number"] = long.Parse(Placeholder, CultureInfo.InvariantCulture);
        return payload.ToJsonString().Replace($"/issues/{original}", $"/issues/{Placeholder}", StringComparison.Ordinal);
    }

    /// <summary>The captured bytes as GitHub sent them (formatting kept), with the issue's number and URLs re-pointed.</summary>
    private static string RawTemplate(string raw, long original)
    {
        var number = $"\"number\": {original},";
        var at = raw.IndexOf(number, StringComparison.Ordinal);
        var text = raw[..at] + $"\"number\": {Placeholder}," + raw[(at + number.Length)..];
        return Regex.Replace(text, $"/issues/{original}(?=[^0-9])", $"/issues/{Placeholder}");
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
