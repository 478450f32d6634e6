using System.Globalization;
using System.Text.Json.Nodes;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// GitHub deliveries built from the captured payloads of the integration tests. Every event of a ticket carries the
/// same issue object (the one of <c>issues.opened.json</c>, re-pointed at the ticket), so only state and times differ
/// and no event also counts as an edit.
/// </summary>
internal sealed class TicketPayloads
{
    public const long RepositoryId = 990_001;
    public const string Owner = "campaign";
    public const string Repo = "tickets";
    private readonly JsonObject _opened = Load("issues.opened.json");
    private readonly JsonObject _closed = Load("issues.closed.json");
    private readonly JsonObject _reopened = Load("issues.reopened.json");
    private readonly JsonObject _comment = Load("issue_comment.created.json");

    public static string TicketRef(int number) => $"{Owner}/{Repo}#{number}";

    public Delivery Opened(int number, DateTimeOffset createdAt) =>
        Build("issues", "opened", _opened, number, createdAt, createdAt, null, open: true, comment: null);

    public Delivery Closed(int number, DateTimeOffset createdAt, DateTimeOffset closedAt) =>
        Build("issues", "closed", _closed, number, createdAt, closedAt, closedAt, open: false, comment: null);

    public Delivery Reopened(int number, DateTimeOffset createdAt, DateTimeOffset reopenedAt) =>
        Build("issues", "reopened", _reopened, number, createdAt, reopenedAt, null, open: true, comment: null);

    public Delivery Commented(int number, DateTimeOffset createdAt, DateTimeOffset at, string text) =>
        Build("issue_comment", "created", _comment, number, createdAt, at, null, open: true, comment: text);

    private Delivery Build(string eventName, string action, JsonObject template, int number, DateTimeOffset createdAt, DateTimeOffset updatedAt,
        DateTimeOffset? closedAt, bool open, string? comment)
    {
        var root = template.DeepClone().AsObject();
        var issue = _opened["issue"]!.DeepClone().AsObject();
        issue["number"] = number;
        issue["html_url"] = $"https://github.com/{Owner}/{Repo}/issues/{number}";
        issue["title"] = $"Campaign incident {number}";
        issue["created_at"] = Iso(createdAt);
        issue["updated_at"] = Iso(updatedAt);
        issue["closed_at"] = closedAt is { } c ? Iso(c) : null;
        issue["state"] = open ? "open" : "closed";
        root["issue"] = issue;
        root["action"] = action;
        var repo = root["repository"]!.AsObject();
        repo["id"] = RepositoryId;
        repo["full_name"] = $"{Owner}/{Repo}";
        repo["name"] = Repo;
        if (comment is not null)
        {
            var node = root["comment"]!.AsObject();
            node["body"] = comment;
            node["created_at"] = Iso(updatedAt);
            node["updated_at"] = Iso(updatedAt);
        }

        var kind = comment is not null ? TransitionKind.Comment : open ? TransitionKind.Open : TransitionKind.Close;
        var at = action == "opened" ? createdAt : closedAt ?? updatedAt;
        return new Delivery(Guid.NewGuid().ToString(), eventName, root.ToJsonString(), number, new Transition(kind, at, createdAt));
    }

    private static JsonObject Load(string file) => JsonNode.Parse(File.ReadAllText(RepoPaths.Payload(file)))!.AsObject();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One webhook delivery: GitHub's delivery id (the same for every redelivery), event, body, ticket, and what it means.</summary>
internal sealed record Delivery(string Id, string Event, string Body, int Ticket, Transition Transition);

internal enum TransitionKind
{
    Open,
    Close,
    Comment,
}

/// <summary>The ticket transition a delivery carries, with the ticket's own time of it and the ticket's creation time.</summary>
internal sealed record Transition(TransitionKind Kind, DateTimeOffset At, DateTimeOffset CreatedAt);
