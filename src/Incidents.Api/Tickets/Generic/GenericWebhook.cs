using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Incidents.Incidents;
using Incidents.Transcripts;

namespace Incidents.Tickets.Generic;

/// <summary>
/// Reads the generic webhook (docs/generic-webhook.md, docs/generic-webhook.schema.json). Every refusal names the
/// field, as a JSON path ("ticket.state"), at the start of its reason.
/// </summary>
internal static partial class GenericWebhook
{
    /// <summary>Longest comment text relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    /// <summary>Column limits: the delivery id is stored as it is, the ticket id inside a key of at most 512 characters.</summary>
    public const int MaxDeliveryId = 256;
    public const int MaxTicketId = 256;

    public static readonly IReadOnlyList<string> Events = ["opened", "updated", "commented", "closed", "reopened", "deleted"];

    public static WebhookIntake Read(string keyPrefix, string? deliveryId, ReadOnlyMemory<byte> body, string? integrationUser)
    {
        if (string.IsNullOrEmpty(deliveryId))
        {
            return new WebhookIntake.Malformed($"{GenericSignature.DeliveryHeader}: the header is required (a unique id per event, reused when the same event is sent again)");
        }
        if (deliveryId.Length > MaxDeliveryId || deliveryId.Any(char.IsControl))
        {
            return new WebhookIntake.Malformed($"{GenericSignature.DeliveryHeader}: at most {MaxDeliveryId} printable characters");
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FieldException("(root)", "must be a JSON object");
            }
            var eventName = RequiredString(root, "event", "event");
            if (!Events.Contains(eventName))
            {
                return new WebhookIntake.Ignored($"event '{Clip(eventName)}' is not handled");
            }
            var occurredAt = RequiredTime(root, "occurred_at", "occurred_at");
            var actor = OptionalString(root, "actor", "actor");
            var ticket = Snapshot(keyPrefix, Object(root, "ticket", "ticket"));
            var state = ticket.IsOpen ? "open" : "closed";
            var expected = eventName switch
            {
                "opened" or "reopened" => "open",
                "closed" => "closed",
                _ => null,
            };
            if (expected is not null && expected != state)
            {
                throw new FieldException("ticket.state", $"must be \"{expected}\" in a \"{eventName}\" event");
            }
            TicketEvent? evt = eventName switch
            {
                "opened" => new TicketEvent(TicketEventKind.Opened, ticket, occurredAt, actor),
                "reopened" => new TicketEvent(TicketEventKind.Reopened, ticket, occurredAt, actor),
                "closed" => new TicketEvent(TicketEventKind.Closed, ticket, occurredAt, actor),
                "deleted" => new TicketEvent(TicketEventKind.Gone, ticket, occurredAt, actor, "deleted"),
                "updated" => new TicketEvent(TicketEventKind.Updated, ticket, occurredAt, actor),
                _ => Comment(root, ticket, occurredAt, actor, integrationUser),
            };
            return evt is null
                ? new WebhookIntake.Ignored("the comment is the service's own transcript (echo)")
                : new WebhookIntake.Event(deliveryId, eventName, evt);
        }
        catch (JsonException e)
        {
            return new WebhookIntake.Malformed($"(body): not valid JSON: {e.Message}");
        }
        catch (FieldException e)
        {
            return new WebhookIntake.Malformed($"{e.Path}: {e.Message}");
        }
    }

    private static TicketEvent? Comment(JsonElement root, TicketSnapshot ticket, DateTimeOffset occurredAt, string? actor, string? integrationUser)
    {
        if (!root.TryGetProperty("comment", out _))
        {
            throw new FieldException("comment", "is required in a \"commented\" event");
        }
        var comment = Object(root, "comment", "comment");
        RequiredString(comment, "id", "comment.id");
        var body = RequiredString(comment, "body", "comment.body", allowEmpty: true);
        var author = OptionalString(comment, "author", "comment.author") ?? actor;
        if (body.Contains(TranscriptMarker.Prefix, StringComparison.Ordinal)
            || (!string.IsNullOrEmpty(integrationUser) && string.Equals(author, integrationUser, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        if (body.Length > MaxRelayedText)
        {
            body = body[..MaxRelayedText] + "… (truncated)";
        }
        var who = author is null ? "Someone" : $"@{author}";
        return new TicketEvent(TicketEventKind.Commented, ticket, occurredAt, author, $"{who} commented on the ticket:\n{body}");
    }

    private static TicketSnapshot Snapshot(string keyPrefix, JsonElement ticket)
    {
        var id = RequiredString(ticket, "id", "ticket.id", clean: false); // part of the key: refused, not cleaned
        if (id.Length > MaxTicketId || id.Any(char.IsControl))
        {
            throw new FieldException("ticket.id", $"at most {MaxTicketId} printable characters");
        }
        var state = RequiredString(ticket, "state", "ticket.state");
        if (state is not ("open" or "closed"))
        {
            throw new FieldException("ticket.state", "must be \"open\" or \"closed\"");
        }
        var url = OptionalString(ticket, "url", "ticket.url");
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
        {
            throw new FieldException("ticket.url", "must be an absolute http or https URL");
        }
        if (ticket.TryGetProperty("updated_at", out var updated) && updated.ValueKind != JsonValueKind.Null)
        {
            RequiredTime(ticket, "updated_at", "ticket.updated_at");
        }
        return new TicketSnapshot(
            Key: $"{keyPrefix}:{id}",
            Ref: id,
            Title: RequiredString(ticket, "title", "ticket.title"),
            Url: url ?? "",
            Author: OptionalString(ticket, "author", "ticket.author") ?? "",
            Labels: Strings(ticket, "labels", "ticket.labels"),
            Assignees: Strings(ticket, "assignees", "ticket.assignees"),
            Body: OptionalString(ticket, "body", "ticket.body"),
            IsOpen: state == "open",
            CreatedAt: RequiredTime(ticket, "created_at", "ticket.created_at"));
    }

    private static JsonElement Object(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new FieldException(path, value.ValueKind == JsonValueKind.Undefined ? "is required" : "must be an object");

    private static string RequiredString(JsonElement parent, string name, string path, bool allowEmpty = false, bool clean = true)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new FieldException(path, "is required");
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FieldException(path, "must be a string");
        }
        var text = clean ? Clean(value.GetString()!) : value.GetString()!;
        return text.Length > 0 || allowEmpty ? text : throw new FieldException(path, "must not be empty");
    }

    private static string? OptionalString(JsonElement parent, string name, string path) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? Clean(value.GetString()!)
        : throw new FieldException(path, "must be a string or null");

    private static List<string> Strings(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FieldException(path, "must be an array of strings");
        }
        var items = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? Clean(item.GetString()!) : throw new FieldException($"{path}[{i}]", "must be a string"));
            i++;
        }
        return items;
    }

    private static DateTimeOffset RequiredTime(JsonElement parent, string name, string path)
    {
        var text = RequiredString(parent, name, path);
        return Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new FieldException(path, "must be an RFC 3339 date-time with an offset, e.g. \"2026-03-01T09:55:00Z\"");
    }

    /// <summary>U+0000, which PostgreSQL cannot store in text, becomes U+FFFD.</summary>
    private static string Clean(string text) => PayloadJson.Clean(text);

    private static string Clip(string text) => text.Length > 64 ? text[..64] + "…" : text;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    private sealed class FieldException(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }
}
