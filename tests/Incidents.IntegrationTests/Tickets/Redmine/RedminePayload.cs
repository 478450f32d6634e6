using System.Globalization;
using System.Text.Json.Nodes;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>
/// A redmine_webhook plugin body taken from a published example (Payloads/Redmine, see SOURCES.md). Tests keep the
/// example's shape and re-point only what identifies the change: issue and journal ids, project, status, times,
/// notes and authors, so several examples describe one issue's life.
/// </summary>
internal sealed class RedminePayload
{
    private readonly JsonNode _root;

    private RedminePayload(JsonNode root) => _root = root;

    /// <summary>"suer.issue.opened.json", "suer.issue.updated.json", "phanan.issue.updated.json" (a status change), …</summary>
    public static RedminePayload Load(string file) =>
        new(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Redmine", file)))!);

    public JsonObject Payload => _root["payload"]!.AsObject();

    public JsonObject Issue => Payload["issue"]!.AsObject();

    public JsonObject Journal => Payload["journal"]!.AsObject();

    /// <summary>Points the body at one issue of one project, created at <paramref name="createdOn"/>.</summary>
    public RedminePayload For(long issueId, DateTimeOffset createdOn, string project = "incidents", int statusId = 1)
    {
        Issue["id"] = issueId;
        Issue["root_id"] = issueId;
        Issue["created_on"] = Iso(createdOn);
        Issue["updated_on"] = Iso(createdOn);
        Issue["status"]!["id"] = statusId;
        var p = Issue["project"]!.AsObject();
        p["identifier"] = project;
        p["name"] = project;
        return this;
    }

    /// <summary>Makes the journal journal <paramref name="journalId"/> by <paramref name="authorId"/> at <paramref name="at"/>.</summary>
    public RedminePayload Change(long journalId, DateTimeOffset at, long authorId = 3, string notes = "")
    {
        Journal["id"] = journalId;
        Journal["created_on"] = Iso(at);
        Journal["notes"] = notes;
        Journal["author"]!["id"] = authorId;
        Issue["updated_on"] = Iso(at);
        return this;
    }

    /// <summary>Sets the journal's status change (the example's first detail) and the issue's status after it.</summary>
    public RedminePayload Status(int from, int to)
    {
        var detail = Journal["details"]!.AsArray().First(d => d!["prop_key"]!.GetValue<string>() == "status_id")!;
        detail["old_value"] = from.ToString(CultureInfo.InvariantCulture);
        detail["value"] = to.ToString(CultureInfo.InvariantCulture);
        Issue["status"]!["id"] = to;
        return this;
    }

    public RedminePayload With(Action<JsonNode> change)
    {
        change(_root);
        return this;
    }

    public string Body() => _root.ToJsonString();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
