using System.Globalization;
using System.Text.Json.Nodes;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// A webhook body taken from a captured GitLab delivery (Payloads/GitLab, see SOURCES.md). Tests keep the captured
/// shape and only re-point the identity fields (project, issue iid, state, times, note text) so several captures
/// describe one ticket's life.
/// </summary>
internal sealed class GitLabPayload
{
    private readonly JsonNode _root;

    private GitLabPayload(JsonNode root) => _root = root;

    public static GitLabPayload Load(string file) =>
        new(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "GitLab", file)))!);

    public JsonNode Root => _root;

    /// <summary>The <c>X-Gitlab-Event</c> GitLab sends with this body.</summary>
    public string Event
    {
        get
        {
            var confidential = (_root["event_type"]?.GetValue<string>() ?? "").StartsWith("confidential", StringComparison.Ordinal);
            return _root["object_kind"]!.GetValue<string>() switch
            {
                "issue" or "work_item" => confidential ? "Confidential Issue Hook" : "Issue Hook",
                "note" => confidential ? "Confidential Note Hook" : "Note Hook",
                "push" => "Push Hook",
                var other => other,
            };
        }
    }

    public JsonObject Attributes => _root["object_attributes"]!.AsObject();

    /// <summary>The issue: <c>object_attributes</c> of an issue hook, <c>issue</c> of a note hook.</summary>
    public JsonObject Issue => (_root["issue"] ?? _root["object_attributes"])!.AsObject();

    public GitLabPayload For(GitLabTicket ticket)
    {
        _root["project"]!["id"] = ticket.ProjectId;
        if (_root["project_id"] is not null)
        {
            _root["project_id"] = ticket.ProjectId;
        }
        Issue["iid"] = ticket.Iid;
        Issue["project_id"] = ticket.ProjectId;
        Issue["url"] = ticket.Url;
        if (_root["issue"] is not null)
        {
            Attributes["project_id"] = ticket.ProjectId;
            Attributes["url"] = $"{ticket.Url}#note_{Attributes["id"]}";
        }
        return this;
    }

    public GitLabPayload Opened(DateTimeOffset createdAt) => State(createdAt, createdAt, "opened", null);

    public GitLabPayload Updated(DateTimeOffset createdAt, DateTimeOffset updatedAt, bool open = true) =>
        State(createdAt, updatedAt, open ? "opened" : "closed", open ? null : updatedAt);

    public GitLabPayload Closed(DateTimeOffset createdAt, DateTimeOffset closedAt) => State(createdAt, closedAt, "closed", closedAt);

    public GitLabPayload Reopened(DateTimeOffset createdAt, DateTimeOffset reopenedAt) => State(createdAt, reopenedAt, "opened", null);

    /// <summary>A note written at <paramref name="createdAt"/> on the still open issue.</summary>
    public GitLabPayload Note(DateTimeOffset createdAt, string text, string username = "alice", long userId = 4242)
    {
        Attributes["note"] = text;
        Attributes["description"] = text;
        Attributes["created_at"] = Iso(createdAt);
        Attributes["updated_at"] = Iso(createdAt);
        Issue["state"] = "opened";
        Issue["closed_at"] = null;
        return By(username, userId);
    }

    /// <summary>The acting user (the opener, commenter or closer).</summary>
    public GitLabPayload By(string username, long userId)
    {
        _root["user"]!["username"] = username;
        _root["user"]!["id"] = userId;
        return this;
    }

    public GitLabPayload With(Action<JsonNode> change)
    {
        change(_root);
        return this;
    }

    public string Body() => _root.ToJsonString();

    private GitLabPayload State(DateTimeOffset createdAt, DateTimeOffset updatedAt, string state, DateTimeOffset? closedAt)
    {
        Issue["created_at"] = Iso(createdAt);
        Issue["updated_at"] = Iso(updatedAt);
        Issue["state"] = state;
        Issue["closed_at"] = closedAt is { } at ? Iso(at) : null;
        return this;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

internal sealed record GitLabTicket(long ProjectId, long Iid)
{
    public string Ref => $"{ProjectId}#{Iid}";

    public string Url => $"https://gitlab.example.com/ops/platform/-/issues/{Iid}";
}
