using System.Globalization;
using System.Text.Json.Nodes;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Export;

/// <summary>
/// The captured GitHub deliveries of the integration tests: <c>issues.opened</c> as captured, and <c>issues.closed</c>
/// re-pointed at the same ticket (repository id/name, number, URL, and the opened issue's title, author, labels,
/// assignees and body, so the close is not also an edit), closed an hour after it was created.
/// </summary>
internal sealed class Webhooks
{
    private readonly JsonNode _opened = JsonNode.Parse(File.ReadAllText(RepoPaths.Payload("issues.opened.json")))!;

    public string TicketRef => $"{_opened["repository"]!["full_name"]}#{_opened["issue"]!["number"]}";

    public string Opened() => _opened.ToJsonString();

    public string Closed()
    {
        var closed = JsonNode.Parse(File.ReadAllText(RepoPaths.Payload("issues.closed.json")))!;
        var opened = _opened["issue"]!.AsObject();
        var issue = closed["issue"]!.AsObject();
        var repo = closed["repository"]!.AsObject();
        var fromRepo = _opened["repository"]!;
        repo["id"] = fromRepo["id"]!.GetValue<long>();
        repo["full_name"] = fromRepo["full_name"]!.GetValue<string>();
        repo["name"] = fromRepo["name"]!.GetValue<string>();
        foreach (var field in new[] { "number", "html_url", "title", "user", "labels", "assignee", "assignees", "body", "created_at" })
        {
            issue[field] = opened[field]?.DeepClone();
        }

        var createdAt = DateTimeOffset.Parse(opened["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var closedAt = createdAt.AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        issue["updated_at"] = closedAt;
        issue["closed_at"] = closedAt;
        issue["state"] = "closed";
        return closed.ToJsonString();
    }
}
