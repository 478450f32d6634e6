using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Transcripts;
using static Incidents.Tickets.PayloadJson;

namespace Incidents.Tickets.GitLab;

/// <summary>
/// Reads GitLab's issue and comment webhooks (ticket-systems.md §3): <c>Issue Hook</c> / <c>Confidential Issue Hook</c>
/// for issues and incidents (sent as <c>object_kind</c> <c>issue</c> or <c>work_item</c>) and <c>Note Hook</c> /
/// <c>Confidential Note Hook</c> for comments on them. Everything else is answered 204, because GitLab disables
/// webhooks that keep failing.
/// </summary>
internal static class GitLabWebhook
{
    /// <summary>Longest comment text relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    /// <summary>Column limit of the stored delivery id.</summary>
    private const int MaxDeliveryId = 256;

    /// <summary>
    /// The delivery's dedupe key: <c>Idempotency-Key</c> (GitLab 17.4+, unchanged when a delivery is resent), else
    /// <c>X-Gitlab-Event-UUID</c> (one per event), else a hash of the body (older GitLab sends neither).
    /// </summary>
    public static string DeliveryId(string? idempotencyKey, string? eventUuid, ReadOnlySpan<byte> body) =>
        !string.IsNullOrEmpty(idempotencyKey) ? idempotencyKey
        : !string.IsNullOrEmpty(eventUuid) ? eventUuid
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));

    public static WebhookIntake Read(string keyPrefix, GitLabFilter filter, string? eventName, string deliveryId, ReadOnlyMemory<byte> body)
    {
        if (string.IsNullOrEmpty(eventName))
        {
            return new WebhookIntake.Malformed("the X-Gitlab-Event header is missing");
        }
        var kind = eventName switch
        {
            "Issue Hook" or "Confidential Issue Hook" or "Work Item Hook" => HookKind.Issue,
            "Note Hook" or "Confidential Note Hook" => HookKind.Note,
            _ => HookKind.Other,
        };
        if (kind == HookKind.Other)
        {
            return new WebhookIntake.Ignored($"event '{eventName}' is not handled");
        }
        if (deliveryId.Length > MaxDeliveryId || deliveryId.Any(char.IsControl))
        {
            return new WebhookIntake.Malformed($"the Idempotency-Key / X-Gitlab-Event-UUID header is not a delivery id (at most {MaxDeliveryId} printable characters)");
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var objectKind = Str(root, "object_kind");
            return kind == HookKind.Issue
                ? IssueHook(keyPrefix, filter, eventName, deliveryId, root, objectKind)
                : NoteHook(keyPrefix, filter, eventName, deliveryId, root, objectKind);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new WebhookIntake.Malformed($"the {eventName} payload is not valid: {e.Message}");
        }
    }

    private static WebhookIntake IssueHook(string keyPrefix, GitLabFilter filter, string eventName, string deliveryId, JsonElement root, string? objectKind)
    {
        if (objectKind is not ("issue" or "work_item"))
        {
            throw new FormatException($"object_kind '{objectKind}' is not an issue or a work item");
        }
        var attributes = root.GetProperty("object_attributes");
        if (Ignore(filter, Str(attributes, "type")) is { } ignored)
        {
            return ignored;
        }
        var user = root.TryGetProperty("user", out var u) ? u : default;
        var snapshot = Snapshot(keyPrefix, root, attributes, user, TopLevelLabels(root, attributes), Usernames(root));
        var actor = Str(user, "username");
        var action = Str(attributes, "action");
        var updatedAt = Time(attributes, "updated_at") ?? snapshot.CreatedAt;
        var evt = action switch
        {
            "open" => new TicketEvent(TicketEventKind.Opened, snapshot, snapshot.CreatedAt, actor),
            "reopen" => new TicketEvent(TicketEventKind.Reopened, snapshot, updatedAt, actor),
            "close" when Number(attributes, "moved_to_id") is not null =>
                new TicketEvent(TicketEventKind.Gone, snapshot, Time(attributes, "closed_at") ?? updatedAt, actor, "moved to another project"),
            "close" => new TicketEvent(TicketEventKind.Closed, snapshot, Time(attributes, "closed_at") ?? updatedAt, actor,
                Number(attributes, "duplicated_to_id") is not null ? "duplicate" : null),
            // "update" and anything GitLab adds later: the state in the snapshot decides (ticket-systems.md §0.5).
            _ => new TicketEvent(TicketEventKind.Updated, snapshot, updatedAt, actor),
        };
        return new WebhookIntake.Event(deliveryId, $"{eventName}.{action ?? "update"}", evt);
    }

    private static WebhookIntake NoteHook(string keyPrefix, GitLabFilter filter, string eventName, string deliveryId, JsonElement root, string? objectKind)
    {
        if (objectKind != "note")
        {
            throw new FormatException($"object_kind '{objectKind}' is not a note");
        }
        var note = root.GetProperty("object_attributes");
        var noteableType = Str(note, "noteable_type");
        if (noteableType != "Issue")
        {
            return new WebhookIntake.Ignored($"comments on a {noteableType ?? "(no noteable_type)"} are not handled");
        }
        if (IsTrue(note, "system"))
        {
            return new WebhookIntake.Ignored("system notes are not relayed");
        }
        var action = Str(note, "action");
        if (action is not (null or "create"))
        {
            return new WebhookIntake.Ignored($"{eventName}.{action} is not handled");
        }
        var issue = root.GetProperty("issue");
        if (Ignore(filter, Str(issue, "type")) is { } ignored)
        {
            return ignored;
        }
        var user = root.TryGetProperty("user", out var u) ? u : default;
        var author = Str(user, "username");
        var text = Str(note, "note") ?? "";
        if ((filter.BotUsername is { Length: > 0 } bot && string.Equals(author, bot, StringComparison.OrdinalIgnoreCase))
            || text.Contains(TranscriptMarker.Prefix, StringComparison.Ordinal) || text.Contains(GitLabNoteBody.AttachmentMarker, StringComparison.Ordinal))
        {
            return new WebhookIntake.Ignored("the echo of our own note");
        }
        // A note's issue names its labels but not its assignees' usernames (only assignee_ids).
        var snapshot = Snapshot(keyPrefix, root, issue, user, Labels(issue), []);
        var url = Str(note, "url") ?? "";
        if (text.Length > MaxRelayedText)
        {
            text = text[..MaxRelayedText] + $"… (truncated; full comment: {url})";
        }
        // "Confidential Note Hook" also carries public comments on confidential issues; the note's own flag tells.
        var internalNote = IsTrue(note, "internal") || IsTrue(note, "confidential");
        var at = Time(note, "created_at") ?? Time(issue, "updated_at") ?? snapshot.CreatedAt;
        var said = internalNote ? "added an internal note to the ticket" : "commented on the ticket";
        return new WebhookIntake.Event(deliveryId, $"{eventName}.create",
            new TicketEvent(TicketEventKind.Commented, snapshot, at, author, $"@{author} {said}:\n{text}"));
    }

    /// <summary>Work item types other than issues and incidents (tasks, epics, OKRs…), and plain issues when only incidents are wanted.</summary>
    private static WebhookIntake.Ignored? Ignore(GitLabFilter filter, string? type) => type switch
    {
        null or "Issue" when filter.IncidentsOnly => new WebhookIntake.Ignored("only incidents are handled (Tickets:GitLab:IncidentsOnly)"),
        null or "Issue" or "Incident" => null,
        _ => new WebhookIntake.Ignored($"work items of type '{type}' are not handled"),
    };

    /// <summary>The issue as an <c>Issue Hook</c>'s <c>object_attributes</c> or a <c>Note Hook</c>'s <c>issue</c> describes it.</summary>
    private static TicketSnapshot Snapshot(string keyPrefix, JsonElement root, JsonElement issue, JsonElement user, List<string> labels, List<string> assignees)
    {
        var projectId = root.TryGetProperty("project", out var project) && Number(project, "id") is { } id
            ? id
            : Number(root, "project_id") ?? Number(issue, "project_id") ?? throw new FormatException("project.id is missing");
        var iid = Number(issue, "iid") ?? throw new FormatException("the issue's iid is missing");
        // Only the author's id is sent; the acting user's name is the author's when the ids match.
        var authorId = Number(issue, "author_id");
        var author = authorId is not null && authorId == Number(user, "id") ? Str(user, "username") ?? "" : "";
        return new TicketSnapshot(
            Key: string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}:{projectId}:{iid}"),
            Ref: string.Create(CultureInfo.InvariantCulture, $"{projectId}#{iid}"),
            Title: Str(issue, "title") ?? "",
            Url: Str(issue, "url") ?? IssueUrlOfNote(root) ?? "",
            Author: author,
            Labels: labels,
            Assignees: assignees,
            Body: Str(issue, "description"),
            IsOpen: Str(issue, "state") != "closed",
            CreatedAt: Time(issue, "created_at") ?? throw new FormatException("the issue's created_at is missing"));
    }

    /// <summary>Older note payloads carry no issue URL, only the note's (<c>…/issues/17#note_1241</c>).</summary>
    private static string? IssueUrlOfNote(JsonElement root) =>
        root.TryGetProperty("object_attributes", out var note) && Str(note, "url") is { } url && url.IndexOf("#note_", StringComparison.Ordinal) is var cut and > 0
            ? url[..cut]
            : null;

    private static List<string> TopLevelLabels(JsonElement root, JsonElement attributes) =>
        root.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array ? Names(labels, "title") : Labels(attributes);

    private static List<string> Labels(JsonElement issue) =>
        issue.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array ? Names(labels, "title") : [];

    private static List<string> Usernames(JsonElement root) =>
        root.TryGetProperty("assignees", out var assignees) && assignees.ValueKind == JsonValueKind.Array ? Names(assignees, "username")
        : root.TryGetProperty("assignee", out var assignee) && Str(assignee, "username") is { } single ? [single]
        : [];

    private static List<string> Names(JsonElement array, string field) => [.. array.EnumerateArray().Select(i => Str(i, field)).OfType<string>()];

    private static bool IsTrue(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static long? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new FormatException($"{name} is not an integer")
            : null;

    /// <summary>
    /// GitLab writes times three ways: <c>2026-05-28T05:04:31.155Z</c>, <c>2026-01-31 19:03:35 +0100</c> and (older
    /// deliveries and the documentation) <c>2015-05-17 17:06:40 UTC</c>.
    /// </summary>
    private static DateTimeOffset? Time(JsonElement e, string name)
    {
        if (Str(e, name) is not { } text)
        {
            return null;
        }
        var normalised = text.EndsWith(" UTC", StringComparison.Ordinal) ? text[..^4] + "Z"
            : text.Length > 6 && text[^5] is '+' or '-' && text[^6] == ' ' && text[^4..].All(char.IsAsciiDigit) ? $"{text[..^6]}{text[^5..^2]}:{text[^2..]}"
            : text;
        return DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new FormatException($"{name} '{text}' is not a time");
    }

    private enum HookKind
    {
        Issue,
        Note,
        Other,
    }
}

/// <summary>What an instance lets through: its integration user (whose notes are echoes) and whether plain issues count.</summary>
internal sealed record GitLabFilter(string? BotUsername, bool IncidentsOnly);
