using System.Globalization;
using System.Text.Json.Nodes;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// A webhook body taken from a captured GitHub delivery (Payloads/GitHub, see SOURCES.md). Tests keep the
/// captured shape and only re-point the identity fields (repository, issue number, state, times) so several
/// captures describe one ticket's life.
/// </summary>
internal sealed class GitHubPayload
{
    private readonly JsonNode _root;

    private GitHubPayload(string eventName, JsonNode root)
    {
        Event = eventName;
        _root = root;
    }

    public string Event { get; }

    public static GitHubPayload Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Payloads", "GitHub", file);
        var eventName = file[..file.IndexOf('.', StringComparison.Ordinal)];
        return new GitHubPayload(eventName, JsonNode.Parse(File.ReadAllText(path))!);
    }

    public JsonNode Root => _root;

    public JsonObject Issue => _root["issue"]!.AsObject();

    /// <summary>Points the payload at one ticket: repository id/name and issue number.</summary>
    public GitHubPayload For(TicketId ticket)
    {
        var repo = _root["repository"]!.AsObject();
        repo["id"] = ticket.RepositoryId;
        repo["full_name"] = ticket.Repository;
        repo["name"] = ticket.Repository.Split('/')[1];
        Issue["number"] = ticket.Number;
        Issue["html_url"] = $"https://github.com/{ticket.Repository}/issues/{ticket.Number}";
        return this;
    }

    public GitHubPayload Opened(DateTimeOffset createdAt)
    {
        Issue["created_at"] = Iso(createdAt);
        Issue["updated_at"] = Iso(createdAt);
        Issue["state"] = "open";
        Issue["closed_at"] = null;
        return this;
    }

    public GitHubPayload Closed(DateTimeOffset createdAt, DateTimeOffset closedAt)
    {
        Issue["created_at"] = Iso(createdAt);
        Issue["updated_at"] = Iso(closedAt);
        Issue["closed_at"] = Iso(closedAt);
        Issue["state"] = "closed";
        return this;
    }

    public GitHubPayload Reopened(DateTimeOffset createdAt, DateTimeOffset reopenedAt)
    {
        Issue["created_at"] = Iso(createdAt);
        Issue["updated_at"] = Iso(reopenedAt);
        Issue["closed_at"] = null;
        Issue["state"] = "open";
        return this;
    }

    public GitHubPayload Comment(DateTimeOffset createdAt, string body)
    {
        var comment = _root["comment"]!.AsObject();
        comment["created_at"] = Iso(createdAt);
        comment["updated_at"] = Iso(createdAt);
        comment["body"] = body;
        Issue["state"] = "open";
        Issue["closed_at"] = null;
        return this;
    }

    public GitHubPayload With(Action<JsonNode> change)
    {
        change(_root);
        return this;
    }

    public string Body() => _root.ToJsonString();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

internal sealed record TicketId(long RepositoryId, string Repository, int Number)
{
    public string Ref => $"{Repository}#{Number}";
    public string Owner => Repository.Split('/')[0];
    public string Name => Repository.Split('/')[1];
}
