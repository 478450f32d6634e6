using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Transcripts;
using static Incidents.Tickets.PayloadJson;

namespace Incidents.Tickets.PagerDuty;

/// <summary>Verifies and reads PagerDuty's v3 webhooks (ticket-systems.md §8).</summary>
internal static class PagerDutyWebhook
{
    public const string SignatureHeader = "X-PagerDuty-Signature";
    public const string WebhookIdHeader = "X-Webhook-Id";

    /// <summary>Longest note or status update text relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    private const string SignaturePrefix = "v1=";

    /// <summary>Signatures read from one header; PagerDuty sends one per signing secret (two during a rotation).</summary>
    private const int MaxSignatures = 16;

    /// <summary>Column limits of the stored delivery id and event name; PagerDuty's ids are alphanumeric and short.</summary>
    private const int MaxDeliveryId = 256;
    private const int MaxEventType = 128;
    private const int MaxIncidentId = 64;

    /// <summary>
    /// The snapshot time of an event that names its incident without describing it (a note, a status update, a
    /// responder request…): such an event says nothing about the incident's title or state, so its snapshot is
    /// dated before anything stored and reads as closed. <see cref="Incident.Apply"/> then neither applies it nor
    /// lets it close or reopen anything, and an incident never seen before is not opened by it.
    /// </summary>
    private static readonly DateTimeOffset NoState = DateTimeOffset.UnixEpoch;

    /// <summary>Valid when any <c>v1=</c> signature in the header is the HMAC-SHA256 of the body under any configured secret.</summary>
    public static bool VerifySignature(IReadOnlyList<string> secrets, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        var expected = new List<byte[]>(secrets.Count);
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                expected.Add(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
            }
        }
        var valid = false;
        var seen = 0;
        Span<byte> given = stackalloc byte[32];
        var text = header.AsSpan();
        foreach (var range in text.Split(','))
        {
            if (++seen > MaxSignatures)
            {
                break;
            }
            var entry = text[range].Trim();
            if (!entry.StartsWith(SignaturePrefix, StringComparison.Ordinal) || entry.Length != SignaturePrefix.Length + 64
                || Convert.FromHexString(entry[SignaturePrefix.Length..], given, out _, out var written) != OperationStatus.Done || written != 32)
            {
                continue;
            }
            foreach (var mac in expected)
            {
                valid |= CryptographicOperations.FixedTimeEquals(mac, given);
            }
        }
        return valid;
    }

    /// <summary>
    /// Reads a verified webhook. <paramref name="integrationUserId"/> is the PagerDuty user the service writes notes as:
    /// its notes (and any note carrying a transcript marker) are the echo of our own writes and are ignored.
    /// </summary>
    public static WebhookIntake Read(string keyPrefix, string? integrationUserId, string? webhookId, ReadOnlyMemory<byte> body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.Object)
            {
                return new WebhookIntake.Malformed("the body has no \"event\" object");
            }
            var type = Str(evt, "event_type");
            if (string.IsNullOrEmpty(type) || type.Length > MaxEventType || type.Any(char.IsControl))
            {
                return new WebhookIntake.Malformed("event.event_type is missing or is not an event type");
            }
            if (type == "pagey.ping")
            {
                return new WebhookIntake.Ping();
            }
            var resource = Str(evt, "resource_type") ?? type.Split('.')[0];
            if (resource != "incident")
            {
                return new WebhookIntake.Ignored($"{type} is not about an incident");
            }
            if (DeliveryId(webhookId, evt) is not { } deliveryId)
            {
                return new WebhookIntake.Malformed($"the {WebhookIdHeader} header (or event.id) is missing or is not a delivery id (at most {MaxDeliveryId} printable characters)");
            }
            var occurredAt = Time(evt, "occurred_at") ?? throw new FormatException("event.occurred_at is missing");
            var agent = evt.TryGetProperty("agent", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            var data = evt.GetProperty("data");
            if (data.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("event.data is not an object");
            }
            var actor = Str(agent, "summary");
            return Str(data, "type") == "incident"
                ? IncidentEvent(keyPrefix, type, deliveryId, data, occurredAt, actor)
                : RelatedEvent(keyPrefix, type, deliveryId, data, actor, Str(agent, "id"), integrationUserId);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new WebhookIntake.Malformed($"the PagerDuty payload is not valid: {e.Message}");
        }
    }

    /// <summary>An event whose data is the incident itself: its status decides open or closed.</summary>
    private static WebhookIntake IncidentEvent(string keyPrefix, string type, string deliveryId, JsonElement incident, DateTimeOffset at, string? actor)
    {
        var ticket = Snapshot(keyPrefix, incident, at);
        var evt = type switch
        {
            "incident.triggered" => new TicketEvent(TicketEventKind.Opened, ticket, at, actor),
            "incident.reopened" => new TicketEvent(TicketEventKind.Reopened, ticket, at, actor),
            "incident.resolved" => new TicketEvent(TicketEventKind.Closed, ticket, at, actor, ResolveReason(incident)),
            // acknowledged, unacknowledged, escalated, reassigned, delegated, priority_updated, service_updated,
            // incident_type.changed and whatever PagerDuty adds later: the snapshot's status says open or closed.
            _ => new TicketEvent(TicketEventKind.Updated, ticket, at, actor),
        };
        return new WebhookIntake.Event(deliveryId, type, evt);
    }

    /// <summary>An event whose data names its incident without describing it: a note, a status update, a responder, a task…</summary>
    private static WebhookIntake RelatedEvent(string keyPrefix, string type, string deliveryId, JsonElement data, string? actor,
        string? agentId, string? integrationUserId)
    {
        if (type is "incident.triggered" or "incident.reopened" or "incident.resolved")
        {
            throw new FormatException($"the data of {type} is not an incident");
        }
        if (IncidentReference(data) is not { } incident)
        {
            return new WebhookIntake.Ignored($"{type} names no incident");
        }
        var id = IncidentId(incident);
        var ticket = new TicketSnapshot(
            Key: $"{keyPrefix}:{id}",
            Ref: id,
            Title: Str(incident, "summary") ?? "",
            Url: Str(incident, "html_url") ?? "",
            Author: "",
            Labels: [],
            Assignees: [],
            Body: null,
            IsOpen: false,
            CreatedAt: NoState);
        var who = actor ?? "PagerDuty";
        switch (type)
        {
            case "incident.annotated":
                var content = Str(data, "content") ?? "";
                if (!string.IsNullOrEmpty(integrationUserId) && agentId == integrationUserId)
                {
                    return new WebhookIntake.Ignored("a note by the integration user (the echo of our own write)");
                }
                if (content.Contains(TranscriptMarker.Prefix, StringComparison.Ordinal))
                {
                    return new WebhookIntake.Ignored("a transcript note (the echo of our own write)");
                }
                var note = Relayed($"{who} added a note to the incident:", content, Trimmed(data), ticket.Url);
                return new WebhookIntake.Event(deliveryId, type, new TicketEvent(TicketEventKind.Commented, ticket, NoState, actor, note));
            case "incident.status_update_published":
                var update = Relayed($"{who} published a status update:", Str(data, "message") ?? "", Trimmed(data), ticket.Url);
                return new WebhookIntake.Event(deliveryId, type, new TicketEvent(TicketEventKind.Commented, ticket, NoState, actor, update));
            default:
                return new WebhookIntake.Event(deliveryId, type, new TicketEvent(TicketEventKind.Updated, ticket, NoState, actor));
        }
    }

    private static TicketSnapshot Snapshot(string keyPrefix, JsonElement incident, DateTimeOffset occurredAt)
    {
        var id = IncidentId(incident);
        var status = Str(incident, "status") ?? throw new FormatException("data.status is missing");
        var labels = new List<string> { $"status:{status}" };
        AddLabel(labels, "urgency", Str(incident, "urgency"));
        AddLabel(labels, "priority", Summary(incident, "priority"));
        AddLabel(labels, "service", Summary(incident, "service"));
        AddLabel(labels, "escalation policy", Summary(incident, "escalation_policy"));
        AddLabel(labels, "type", incident.TryGetProperty("incident_type", out var kind) ? Str(kind, "name") : null);
        foreach (var team in Items(incident, "teams"))
        {
            AddLabel(labels, "team", Str(team, "summary"));
        }
        return new TicketSnapshot(
            Key: $"{keyPrefix}:{id}",
            Ref: id,
            Title: Str(incident, "title") ?? Str(incident, "summary") ?? "",
            Url: Str(incident, "html_url") ?? "",
            // PagerDuty names no reporter (the trigger's agent is null for automated triggers and absent from later
            // events): the incident's service is what opened it, and it is the same in every event.
            Author: Summary(incident, "service") ?? "",
            Labels: labels,
            Assignees: [.. Items(incident, "assignees").Select(u => Str(u, "summary") ?? Str(u, "id")).OfType<string>()],
            Body: null,
            IsOpen: status != "resolved",
            // Older deliveries (go-pagerduty's fixture) have no created_at: the event's time is the best there is.
            CreatedAt: Time(incident, "created_at") ?? occurredAt);
    }

    /// <summary>"merged into …" when the incident was resolved by a merge; null otherwise.</summary>
    private static string? ResolveReason(JsonElement incident) =>
        incident.TryGetProperty("resolve_reason", out var reason) && reason.ValueKind == JsonValueKind.Object
            ? Str(reason, "type") == "merge_resolve_reason" && reason.TryGetProperty("incident", out var into)
                ? $"merged into {Str(into, "summary") ?? Str(into, "id") ?? "another incident"}"
                : Str(reason, "type")
            : null;

    /// <summary>The incident an event's data belongs to: <c>data.incident</c>, or the incident of its first list entry (role assignments).</summary>
    private static JsonElement? IncidentReference(JsonElement data)
    {
        if (data.TryGetProperty("incident", out var incident) && incident.ValueKind == JsonValueKind.Object)
        {
            return incident;
        }
        foreach (var property in data.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array))
        {
            foreach (var item in property.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("incident", out var nested) && nested.ValueKind == JsonValueKind.Object)
                {
                    return nested;
                }
            }
        }
        return null;
    }

    private static string IncidentId(JsonElement incident)
    {
        var id = Str(incident, "id");
        return id is { Length: > 0 and <= MaxIncidentId } && id.All(char.IsAsciiLetterOrDigit)
            ? id
            : throw new FormatException("the incident id is missing or is not a PagerDuty id");
    }

    private static string? DeliveryId(string? webhookId, JsonElement evt)
    {
        var id = !string.IsNullOrEmpty(webhookId) ? webhookId : Str(evt, "id") is { Length: > 0 } eventId ? "event:" + eventId : null;
        return id is { Length: <= MaxDeliveryId } && !id.Any(char.IsControl) ? id : null;
    }

    private static bool Trimmed(JsonElement data) => data.TryGetProperty("trimmed", out var t) && t.ValueKind == JsonValueKind.True;

    /// <summary>A human's text for the chat: cut to <see cref="MaxRelayedText"/>, saying so (and where the whole text is) when it is not complete.</summary>
    private static string Relayed(string intro, string text, bool trimmed, string incidentUrl)
    {
        var cut = text.Length > MaxRelayedText;
        if (cut)
        {
            text = text[..MaxRelayedText];
        }
        var where = incidentUrl.Length > 0 ? $"; the full text is on the incident: {incidentUrl}" : "";
        var note = trimmed ? $"\n… (PagerDuty trimmed this text in the webhook{where})" : cut ? $"\n… (shortened{where})" : "";
        return $"{intro}\n{text}{note}";
    }

    private static void AddLabel(List<string> labels, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            labels.Add($"{name}:{value}");
        }
    }

    private static string? Summary(JsonElement e, string name) =>
        e.TryGetProperty(name, out var reference) ? Str(reference, "summary") : null;

    private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
            : [];

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Str(e, name) is not { } s ? null
        : DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t
        : throw new FormatException($"{name} is not a date");
}
