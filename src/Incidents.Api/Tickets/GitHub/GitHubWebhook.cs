using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Transcripts;
using static Incidents.Tickets.PayloadJson;

namespace Incidents.Tickets.GitHub;

/// <summary>Verifies and reads GitHub's <c>issues</c> and <c>issue_comment</c> webhooks (ticket-systems.md §2).</summary>
internal static class GitHubWebhook
{
    /// <summary>Longest comment text relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    /// <summary>Column limits of the stored delivery id and ticket reference; longer values are not GitHub's.</summary>
    private const int MaxDeliveryId = 256;
    private const int MaxTicketRef = 512;

    public static bool VerifySignature(string secret, string? header, ReadOnlySpan<byte> body) => HubSignature.Verify(secret, header, body);

    public static WebhookIntake Read(string keyPrefix, string? eventName, string? deliveryId, ReadOnlyMemory<byte> body)
    {
        if (string.IsNullOrEmpty(eventName))
        {
            return new WebhookIntake.Malformed("the X-GitHub-Event header is missing");
        }
        if (eventName == "ping")
        {
            return new WebhookIntake.Ping();
        }
        if (eventName is not ("issues" or "issue_comment"))
        {
            return new WebhookIntake.Ignored($"event '{eventName}' is not handled");
        }
        if (string.IsNullOrEmpty(deliveryId))
        {
            return new WebhookIntake.Malformed("the X-GitHub-Delivery header is missing");
        }
        if (deliveryId.Length > MaxDeliveryId || deliveryId.Any(char.IsControl))
        {
            return new WebhookIntake.Malformed($"the X-GitHub-Delivery header is not a delivery id (at most {MaxDeliveryId} printable characters)");
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var action = root.GetProperty("action").GetString();
            var issue = root.GetProperty("issue");
            var snapshot = Snapshot(keyPrefix, issue, root.GetProperty("repository"));
            var actor = root.TryGetProperty("sender", out var sender) ? Str(sender, "login") : null;
            TicketEvent? evt = eventName == "issues" ? IssueEvent(action, issue, snapshot, actor) : CommentEvent(action, root, issue, snapshot, actor);
            return evt is null
                ? new WebhookIntake.Ignored($"{eventName}.{action} is not handled")
                : new WebhookIntake.Event(deliveryId, $"{eventName}.{action}", evt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new WebhookIntake.Malformed($"the {eventName} payload is not valid: {e.Message}");
        }
    }

    private static TicketEvent? IssueEvent(string? action, JsonElement issue, TicketSnapshot ticket, string? actor)
    {
        var updatedAt = Time(issue, "updated_at") ?? ticket.CreatedAt;
        return action switch
        {
            "opened" => new TicketEvent(TicketEventKind.Opened, ticket, ticket.CreatedAt, actor),
            "reopened" => new TicketEvent(TicketEventKind.Reopened, ticket, updatedAt, actor),
            "closed" => new TicketEvent(TicketEventKind.Closed, ticket, Time(issue, "closed_at") ?? updatedAt, actor, StateReason(issue)),
            "deleted" or "transferred" => new TicketEvent(TicketEventKind.Gone, ticket, updatedAt, actor, action),
            "edited" or "labeled" or "unlabeled" or "assigned" or "unassigned" => new TicketEvent(TicketEventKind.Updated, ticket, updatedAt, actor),
            _ => null,
        };
    }

    private static TicketEvent? CommentEvent(string? action, JsonElement root, JsonElement issue, TicketSnapshot ticket, string? actor)
    {
        if (action != "created" || issue.TryGetProperty("pull_request", out _))
        {
            return null;
        }
        var comment = root.GetProperty("comment");
        var body = Str(comment, "body") ?? "";
        if (body.Contains(TranscriptMarker.Prefix, StringComparison.Ordinal))
        {
            return null; // the echo of our own transcript comment
        }
        var author = comment.TryGetProperty("user", out var u) ? Str(u, "login") : actor;
        if (body.Length > MaxRelayedText)
        {
            body = body[..MaxRelayedText] + $"… (truncated; full comment: {Str(comment, "html_url")})";
        }
        var at = Time(comment, "created_at") ?? Time(issue, "updated_at") ?? ticket.CreatedAt;
        return new TicketEvent(TicketEventKind.Commented, ticket, at, author, $"@{author} commented on the ticket:\n{body}");
    }

    private static TicketSnapshot Snapshot(string keyPrefix, JsonElement issue, JsonElement repository)
    {
        var number = issue.GetProperty("number").GetInt64();
        var repoId = repository.GetProperty("id").GetInt64();
        var fullName = Str(repository, "full_name") ?? throw new FormatException("repository.full_name is missing");
        if (fullName.Length > MaxTicketRef - 24)
        {
            throw new FormatException("repository.full_name is too long");
        }
        return new TicketSnapshot(
            Key: string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}:{repoId}:{number}"),
            Ref: string.Create(CultureInfo.InvariantCulture, $"{fullName}#{number}"),
            Title: Str(issue, "title") ?? "",
            Url: Str(issue, "html_url") ?? "",
            Author: issue.TryGetProperty("user", out var u) ? Str(u, "login") ?? "" : "",
            Labels: Names(issue, "labels", "name"),
            Assignees: Names(issue, "assignees", "login"),
            Body: Str(issue, "body"),
            IsOpen: Str(issue, "state") != "closed",
            CreatedAt: Time(issue, "created_at") ?? throw new FormatException("issue.created_at is missing"));
    }

    private static string? StateReason(JsonElement issue) => Str(issue, "state_reason") switch
    {
        "completed" => "completed",
        "not_planned" => "not planned",
        "duplicate" => "duplicate",
        _ => null,
    };

    private static List<string> Names(JsonElement e, string array, string field) =>
        e.TryGetProperty(array, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Select(i => Str(i, field)).OfType<string>()]
            : [];

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Str(e, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
