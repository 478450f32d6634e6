using System.Text;
using System.Text.Json.Nodes;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Tickets.PagerDuty;

namespace Incidents.UnitTests.Tickets.PagerDuty;

/// <summary>Every published PagerDuty example read as the service reads a delivery (ticket-systems.md §8).</summary>
public sealed class PagerDutyWebhookTests
{
    private const string Prefix = "pagerduty";
    private const string WebhookId = "9f2b6c3e-5d61-4f0e-9c61-b7e0a8f6d7c1";
    private const string Integration = "PINCBOT";

    private static WebhookIntake Read(JsonNode root, string? webhookId = WebhookId, string? integrationUserId = Integration) =>
        PagerDutyWebhook.Read(Prefix, integrationUserId, webhookId, PagerDutySamples.Body(root));

    private static WebhookIntake.Event Event(JsonNode root) => Assert.IsType<WebhookIntake.Event>(Read(root));

    [Fact]
    public void Read_PublishedPriorityUpdated_IsAnUpdateWithTheIncidentAsItStands()
    {
        var e = Assert.IsType<WebhookIntake.Event>(PagerDutyWebhook.Read(Prefix, null, WebhookId, PagerDutySamples.Bytes("incident.priority_updated.json")));

        Assert.Equal((WebhookId, "incident.priority_updated"), (e.DeliveryId, e.EventName));
        var evt = e.TicketEvent;
        Assert.Equal(TicketEventKind.Updated, evt.Kind);
        Assert.Equal(DateTimeOffset.Parse("2020-10-02T18:45:22.169Z", System.Globalization.CultureInfo.InvariantCulture), evt.OccurredAt);
        Assert.Equal("Tenex Engineer", evt.Actor);
        var t = evt.Ticket;
        Assert.Equal(("pagerduty:PGR0VU2", "PGR0VU2"), (t.Key, t.Ref));
        Assert.Equal("A little bump in the road", t.Title);
        Assert.Equal("https://acme.pagerduty.com/incidents/PGR0VU2", t.Url);
        Assert.Equal("API Service", t.Author);
        Assert.True(t.IsOpen);
        Assert.Equal(new DateTimeOffset(2020, 4, 9, 15, 16, 27, TimeSpan.Zero), t.CreatedAt);
        Assert.Equal(["status:triggered", "urgency:high", "priority:P1", "service:API Service", "escalation policy:Default", "team:Engineering"], t.Labels);
        Assert.Equal(["User 123"], t.Assignees);
        Assert.Null(t.Body);
    }

    [Fact]
    public void Read_GoPagerDutySignedExample_IsAnUpdateDatedByTheEventWhenTheIncidentHasNoCreatedAt()
    {
        var e = Assert.IsType<WebhookIntake.Event>(PagerDutyWebhook.Read(Prefix, null, WebhookId, PagerDutySamples.Bytes("incident.priority_updated.signed.json")));
        Assert.Equal(TicketEventKind.Updated, e.TicketEvent.Kind);
        Assert.Equal("pagerduty:PGR0VU2", e.TicketEvent.Ticket.Key);
        Assert.Equal(e.TicketEvent.OccurredAt, e.TicketEvent.Ticket.CreatedAt);
        Assert.Equal("Tenex Engineer", e.TicketEvent.Actor);
    }

    [Fact]
    public void Read_PublishedServiceUpdated_IsIgnored() =>
        Assert.IsType<WebhookIntake.Ignored>(PagerDutyWebhook.Read(Prefix, null, WebhookId, PagerDutySamples.Bytes("service.updated.json")));

    [Theory]
    [InlineData("incident.triggered", "triggered", "Opened", true)]
    [InlineData("incident.acknowledged", "acknowledged", "Updated", true)]
    [InlineData("incident.unacknowledged", "triggered", "Updated", true)]
    [InlineData("incident.escalated", "triggered", "Updated", true)]
    [InlineData("incident.reassigned", "acknowledged", "Updated", true)]
    [InlineData("incident.delegated", "triggered", "Updated", true)]
    [InlineData("incident.service_updated", "triggered", "Updated", true)]
    [InlineData("incident.incident_type.changed", "acknowledged", "Updated", true)]
    [InlineData("incident.resolved", "resolved", "Closed", false)]
    [InlineData("incident.reopened", "triggered", "Reopened", true)]
    [InlineData("incident.some_future_event", "resolved", "Updated", false)]
    public void Read_IncidentEvents_MapByTypeAndStatus(string eventType, string status, string kind, bool open)
    {
        var root = PagerDutySamples.Delivery(eventType, "data.incident.json");
        root["event"]!["data"]!["status"] = status;
        var e = Event(root);
        Assert.Equal((Enum.Parse<TicketEventKind>(kind), open), (e.TicketEvent.Kind, e.TicketEvent.Ticket.IsOpen));
        Assert.Contains("type:major", e.TicketEvent.Ticket.Labels);
        Assert.Equal(eventType, e.EventName);
    }

    [Fact]
    public void Read_ResolvedByAMerge_SaysWhereTo()
    {
        var root = PagerDutySamples.Delivery("incident.resolved", "data.incident.json");
        root["event"]!["data"]!["status"] = "resolved";
        root["event"]!["data"]!["resolve_reason"] = JsonNode.Parse("""{"type":"merge_resolve_reason","incident":{"id":"PXYZ123","summary":"The bigger outage","type":"incident_reference"}}""");
        Assert.Equal("merged into The bigger outage", Event(root).TicketEvent.Text);
    }

    [Fact]
    public void Read_PublishedNote_IsACommentThatNamesItsAuthorAndChangesNoState()
    {
        var e = Event(PagerDutySamples.Delivery("incident.annotated", "data.incident_note.json"));
        var evt = e.TicketEvent;
        Assert.Equal(TicketEventKind.Commented, evt.Kind);
        Assert.Equal("Tenex Engineer added a note to the incident:\nI sure am glad we are using PagerDuty!", evt.Text);
        Assert.Equal(("pagerduty:PGR0VU2", "PGR0VU2"), (evt.Ticket.Key, evt.Ticket.Ref));
        // A note does not describe the incident: its snapshot is older than anything stored and reads closed.
        Assert.Equal(DateTimeOffset.UnixEpoch, evt.OccurredAt);
        Assert.False(evt.Ticket.IsOpen);
    }

    [Fact]
    public void Read_TrimmedNote_RelaysWhatCameAndSaysWhereTheRestIs()
    {
        var root = PagerDutySamples.Delivery("incident.annotated", "data.incident_note.json");
        root["event"]!["data"]!["trimmed"] = true;
        var text = Event(root).TicketEvent.Text!;
        Assert.Contains("I sure am glad we are using PagerDuty!\n… (PagerDuty trimmed this text in the webhook; the full text is on the incident: https://acme.pagerduty.com/incidents/PGR0VU2)", text);
    }

    [Fact]
    public void Read_LongNote_IsShortenedForTheChat()
    {
        var root = PagerDutySamples.Delivery("incident.annotated", "data.incident_note.json");
        root["event"]!["data"]!["content"] = new string('x', 10_000);
        var text = Event(root).TicketEvent.Text!;
        Assert.True(text.Length < PagerDutyWebhook.MaxRelayedText + 200);
        Assert.EndsWith("… (shortened; the full text is on the incident: https://acme.pagerduty.com/incidents/PGR0VU2)", text);
    }

    [Fact]
    public void Read_NoteByTheIntegrationUser_IsIgnored()
    {
        var root = PagerDutySamples.Delivery("incident.annotated", "data.incident_note.json");
        root["event"]!["agent"]!["id"] = Integration;
        Assert.IsType<WebhookIntake.Ignored>(Read(root));
        Assert.IsType<WebhookIntake.Event>(Read(root, integrationUserId: null));
    }

    [Fact]
    public void Read_NoteCarryingATranscriptMarker_IsIgnoredWhoeverWroteIt()
    {
        var root = PagerDutySamples.Delivery("incident.annotated", "data.incident_note.json");
        root["event"]!["data"]!["content"] = "[incidents:transcript channel=0195a0b00000700080000000000000aa part=1/2 sha256=" + new string('a', 64) + "]\nChat transcript…";
        root["event"]!["data"]!["trimmed"] = true;
        Assert.IsType<WebhookIntake.Ignored>(Read(root, integrationUserId: null));
    }

    [Fact]
    public void Read_PublishedStatusUpdate_IsRelayedAsAComment()
    {
        var e = Event(PagerDutySamples.Delivery("incident.status_update_published", "data.incident_status_update.json"));
        Assert.Equal(TicketEventKind.Commented, e.TicketEvent.Kind);
        Assert.Equal("Tenex Engineer published a status update:\nA fix for this incident is being developed", e.TicketEvent.Text);
    }

    [Theory]
    [InlineData("incident.responder.added", "data.incident_responder.json", "PGR0VU2")]
    [InlineData("incident.responder.replied", "data.incident_responder.json", "PGR0VU2")]
    [InlineData("incident.conference_bridge.updated", "data.incident_conference_bridge.json", "PGR0VU2")]
    [InlineData("incident.custom_field_values.updated", "data.incident_field_values.json", "PBAZLIU")]
    [InlineData("incident.role.assigned", "data.incident_role_assignment.json", "PBAZLIU")]
    [InlineData("incident.task.created", "data.incident_task.json", "Q0SDD3HB6SGFTI")]
    [InlineData("incident.workflow.started", "data.incident_workflow_instance.json", "PBAZLIU")]
    [InlineData("incident.action_invocation.created", "data.incident_action_invocation.json", "PBAZLIU")]
    public void Read_PublishedRelatedData_IsAnUpdateOfItsIncidentThatChangesNoState(string eventType, string dataFile, string incidentId)
    {
        var evt = Event(PagerDutySamples.Delivery(eventType, dataFile)).TicketEvent;
        Assert.Equal(TicketEventKind.Updated, evt.Kind);
        Assert.Equal(($"pagerduty:{incidentId}", incidentId), (evt.Ticket.Key, evt.Ticket.Ref));
        Assert.Equal(DateTimeOffset.UnixEpoch, evt.OccurredAt);
        Assert.False(evt.Ticket.IsOpen);
    }

    [Fact]
    public void Read_Ping_IsAPing() =>
        Assert.IsType<WebhookIntake.Ping>(Read(JsonNode.Parse("""{"event":{"id":"01","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"2026-03-01T10:00:00Z","agent":null,"client":null,"data":{"message":"Hello from your friend Pagey!","type":"ping"}}}""")!));

    [Fact]
    public void Read_NoWebhookIdHeader_DedupesOnTheEventId() =>
        Assert.Equal("event:5ac64822-4adc-4fda-ade0-410becf0de4f", Assert.IsType<WebhookIntake.Event>(Read(PagerDutySamples.Json("incident.priority_updated.json"), webhookId: null)).DeliveryId);

    [Theory]
    [InlineData(300)]
    [InlineData(-1)]
    public void Read_WebhookIdThatIsNoDeliveryId_IsMalformed(int length) =>
        Assert.IsType<WebhookIntake.Malformed>(Read(PagerDutySamples.Json("incident.priority_updated.json"), webhookId: length < 0 ? "abc\u0001" : new string('w', length)));

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"event":{"event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-03-01T10:00:00Z","data":{"type":"incident","id":"../../users","status":"triggered"}}}""")]
    [InlineData("""{"event":{"event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-03-01T10:00:00Z","data":{"type":"incident","id":"PGR0VU2"}}}""")]
    [InlineData("""{"event":{"event_type":"incident.triggered","resource_type":"incident","occurred_at":"yesterday","data":{"type":"incident","id":"PGR0VU2","status":"triggered"}}}""")]
    [InlineData("""{"event":{"event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-03-01T10:00:00Z","data":{"type":"incident_note","incident":{"id":"PGR0VU2"}}}}""")]
    [InlineData("""{"event":{"event_type":"incident.annotated","resource_type":"incident","occurred_at":"2026-03-01T10:00:00Z","data":"a note"}}""")]
    public void Read_MalformedBody_IsMalformed(string json) =>
        Assert.IsType<WebhookIntake.Malformed>(PagerDutyWebhook.Read(Prefix, null, WebhookId, Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Read_NulInText_IsReplaced()
    {
        var root = PagerDutySamples.Json("incident.priority_updated.json");
        root["event"]!["data"]!["title"] = "nul\u0000title";
        Assert.Equal("nul\uFFFDtitle", Event(root).TicketEvent.Ticket.Title);
    }

    [Fact]
    public void Read_NamedInstance_KeysCarryTheInstance() =>
        Assert.Equal("pagerduty/eu:PGR0VU2", Assert.IsType<WebhookIntake.Event>(
            PagerDutyWebhook.Read("pagerduty/eu", null, WebhookId, PagerDutySamples.Bytes("incident.priority_updated.json"))).TicketEvent.Ticket.Key);
}
