using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incidents.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Webhooks;

/// <summary>PagerDuty v3 webhooks through the real endpoint: signatures, dedupe, the event mapping, echoes, named instances.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PagerDutyWebhookTests(PostgresServer postgres)
{
    private const string Id = "PGR0VU2";
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static Task<Harness> StartAsync(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null) =>
        Harness.StartAsync(postgres, s =>
        {
            PagerDutyDelivery.Configure(s);
            more?.Invoke(s);
        });

    private static PagerDutyPayload Triggered(string id = Id) => PagerDutyPayload.Incident("incident.triggered", id, "triggered", Created, Created);

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task Receive_BadOrMissingSignature_Is401AndStoresNothing(string? secret)
    {
        await using var h = await StartAsync(postgres);
        var response = await h.DeliverAsync(Triggered(), secret: secret);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignatureOverDifferentBytes_Is401()
    {
        await using var h = await StartAsync(postgres);
        var body = Triggered().Body();
        var response = await h.DeliverPagerDutyRawAsync([.. body, (byte)'\n'], Guid.NewGuid().ToString(), PagerDutyDelivery.Sign(PagerDutyDelivery.Secret, body));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SecretRotation_AnyMatchingSignatureOrConfiguredSecretIsAccepted()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:PagerDuty:AdditionalWebhookSecrets:0"] = "the-next-secret");
        var body = Triggered().Body();
        var both = $"{PagerDutyDelivery.Sign("retired-secret", body)},{PagerDutyDelivery.Sign(PagerDutyDelivery.Secret, body)}";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverPagerDutyRawAsync(body, Guid.NewGuid().ToString(), both)).StatusCode);

        var next = Triggered("PNEXT01").Body();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverPagerDutyRawAsync(next, Guid.NewGuid().ToString(), PagerDutyDelivery.Sign("the-next-secret", next))).StatusCode);
        Assert.Equal(2, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_Ping_Is200AndStoresNothing()
    {
        await using var h = await StartAsync(postgres);
        var ping = PagerDutyPayload.Of("pagey.ping").With(p =>
        {
            p.Event["resource_type"] = "pagey";
            p.Event["data"] = new System.Text.Json.Nodes.JsonObject { ["message"] = "Hello from your friend Pagey!", ["type"] = "ping" };
        });
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverAsync(ping)).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_PublishedServiceEvent_Is204AndStoresNothing()
    {
        await using var h = await StartAsync(postgres);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(PagerDutyPayload.Load("service.updated.json"))).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("{\"event\":")]
    [InlineData("[]")]
    [InlineData("{\"event\":{\"event_type\":\"incident.triggered\",\"resource_type\":\"incident\",\"occurred_at\":\"2026-03-01T10:00:00Z\",\"data\":{\"type\":\"incident\",\"id\":\"../users\",\"status\":\"triggered\"}}}")]
    public async Task Receive_MalformedSignedJson_Is400ProblemAndStoresNothing(string json)
    {
        await using var h = await StartAsync(postgres);
        var body = Encoding.UTF8.GetBytes(json);
        var response = await h.DeliverPagerDutyRawAsync(body, Guid.NewGuid().ToString(), PagerDutyDelivery.Sign(PagerDutyDelivery.Secret, body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed webhook", problem.GetProperty("title").GetString());
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_Redelivery_Is200AndChangesNothing()
    {
        await using var h = await StartAsync(postgres);
        var payload = Triggered();
        var webhookId = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(payload, webhookId)).StatusCode);
        var before = await StoredRows(h);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverAsync(payload, webhookId)).StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_NoWebhookIdHeader_DedupesOnTheEventId()
    {
        await using var h = await StartAsync(postgres);
        var body = Triggered().Body();
        var signature = PagerDutyDelivery.Sign(PagerDutyDelivery.Secret, body);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverPagerDutyRawAsync(body, null, signature)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverPagerDutyRawAsync(body, null, signature)).StatusCode);
        Assert.StartsWith("event:", await h.QueryAsync(db => db.Deliveries.Select(d => d.DeliveryId).SingleAsync()));
    }

    [Fact]
    public async Task Receive_TriggerAcknowledgeNoteStatusUpdateResolveReopen_DriveOneIncidentsChannels()
    {
        await using var h = await StartAsync(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(Triggered())).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.StartsWith("inc-pgr0vu2-", room.Name);
        Assert.Equal("A little bump in the road — https://acme.pagerduty.com/incidents/PGR0VU2", room.Topic);
        var intro = h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null).Text;
        Assert.Contains("**Opened by:** @API Service", intro);
        Assert.Contains("status:triggered, urgency:high, priority:P1, service:API Service, escalation policy:Default, team:Engineering", intro);
        Assert.Contains("@User 123", intro);

        var acknowledged = PagerDutyPayload.Incident("incident.acknowledged", Id, "acknowledged", Created, Harness.Start.AddMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(acknowledged)).StatusCode);
        var note = PagerDutyPayload.Note(Id, "Rolled back deploy 42.", Harness.Start.AddMinutes(2)).By("PLH1HKV", "Tenex Engineer");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(note)).StatusCode);
        var update = PagerDutyPayload.Of("incident.status_update_published", "data.incident_status_update.json").For(Id).At(Harness.Start.AddMinutes(3));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(update)).StatusCode);
        await h.RunOutboxAsync();
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.Contains("Ticket updated by @Tenex Engineer: labels +status:acknowledged, -status:triggered.", texts);
        Assert.Contains("Tenex Engineer added a note to the incident:\nRolled back deploy 42.", texts);
        Assert.Contains("Tenex Engineer published a status update:\nA fix for this incident is being developed", texts);

        h.Sims.PagerDuty.CreateIncident(Id);
        var resolved = PagerDutyPayload.Incident("incident.resolved", Id, "resolved", Created, Harness.Start.AddMinutes(5));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(resolved)).StatusCode);
        await h.RunOutboxAsync();
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });
        Assert.Single(h.Sims.PagerDuty.Notes(Id));

        var reopened = PagerDutyPayload.Incident("incident.reopened", Id, "triggered", Created, Harness.Start.AddMinutes(9));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(reopened)).StatusCode);
        await h.RunOutboxAsync();
        var second = Assert.Single(h.Sims.RocketChat.Rooms, r => !r.Deleted);
        Assert.EndsWith("-r2", second.Name);
        Assert.Contains("**Earlier transcript:** https://acme.pagerduty.com/incidents/PGR0VU2", h.Sims.RocketChat.MessagesOf(second.Id).Single(m => m.Type is null).Text);
    }

    [Fact]
    public async Task Receive_OwnNotesEchoedBack_AreIgnored()
    {
        await using var h = await StartAsync(postgres);
        await h.DeliverAsync(Triggered());
        var byUs = PagerDutyPayload.Note(Id, "anything the integration user writes", Harness.Start).By("PINCBOT", "Incidents Bot");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(byUs)).StatusCode);
        var marked = PagerDutyPayload.Note(Id, "[incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=" + new string('a', 64) + " transcript=" + new string('b', 64) + "]\nChat transcript of …", Harness.Start)
            .By("PLH1HKV", "Tenex Engineer").With(p => p.Data["trimmed"] = true);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(marked)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(1, await h.QueryAsync(db => db.Deliveries.CountAsync()));
        Assert.DoesNotContain(h.Sims.RocketChat.MessagesOf(h.Sims.RocketChat.Rooms[0].Id),
            m => m.Text.Contains("the integration user writes", StringComparison.Ordinal) || m.Text.Contains("Chat transcript of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receive_NoteOnAnIncidentNeverSeen_Is204AndOpensNothing()
    {
        await using var h = await StartAsync(postgres);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(PagerDutyPayload.Note("PUNSEEN", "hello", Harness.Start))).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_AcknowledgeOfAnIncidentNeverSeen_OpensItFromItsState()
    {
        await using var h = await StartAsync(postgres);
        var acknowledged = PagerDutyPayload.Incident("incident.acknowledged", Id, "acknowledged", Created, Harness.Start);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(acknowledged)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);
    }

    [Theory]
    [InlineData("incident.acknowledged", null)]
    [InlineData("incident.unacknowledged", null)]
    [InlineData("incident.escalated", null)]
    [InlineData("incident.reassigned", null)]
    [InlineData("incident.delegated", null)]
    [InlineData("incident.priority_updated", null)]
    [InlineData("incident.service_updated", null)]
    [InlineData("incident.incident_type.changed", "data.incident.json")]
    [InlineData("incident.annotated", "data.incident_note.json")]
    [InlineData("incident.status_update_published", "data.incident_status_update.json")]
    [InlineData("incident.responder.added", "data.incident_responder.json")]
    [InlineData("incident.responder.replied", "data.incident_responder.json")]
    [InlineData("incident.conference_bridge.updated", "data.incident_conference_bridge.json")]
    [InlineData("incident.custom_field_values.updated", "data.incident_field_values.json")]
    [InlineData("incident.role.assigned", "data.incident_role_assignment.json")]
    [InlineData("incident.task.created", "data.incident_task.json")]
    [InlineData("incident.workflow.started", "data.incident_workflow_instance.json")]
    [InlineData("incident.action_invocation.created", "data.incident_action_invocation.json")]
    public async Task Receive_EveryDocumentedIncidentEvent_IsAnswered2xxForAKnownIncident(string eventType, string? dataFile)
    {
        await using var h = await StartAsync(postgres);
        var payload = PagerDutyPayload.Of(eventType, dataFile).At(Harness.Start);
        var incidentId = dataFile is null or "data.incident.json" ? (string)payload.Data["id"]! : IncidentOf(payload);
        await h.DeliverAsync(Triggered(incidentId));
        if (dataFile is null or "data.incident.json")
        {
            payload.Status("acknowledged").Created(Created);
        }
        var response = await h.DeliverAsync(payload);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync(i => i.State == global::Incidents.Incidents.TicketState.Open)));
    }

    [Fact]
    public async Task Receive_SignedButUnstorableValues_AreRefusedOrCleanedNever500()
    {
        await using var h = await StartAsync(postgres);
        var nul = Triggered().With(p => p.Data["title"] = "nul\u0000title");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(nul)).StatusCode);
        Assert.Equal("nul\uFFFDtitle", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverAsync(Triggered("PLONGID"), webhookId: new string('w', 300))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverAsync(Triggered(new string('P', 600)))).StatusCode);
        var longType = Triggered("PTYPE01").With(p => p.Event["event_type"] = "incident." + new string('x', 300));
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverAsync(longType)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_NamedInstance_HasItsOwnSecretAndKeys()
    {
        await using var h = await StartAsync(postgres, s =>
            PagerDutyDelivery.Configure(s, "Tickets:PagerDuty:Instances:eu", "eu-webhook-secret", "eu-api-key", "eu-bot@example.com", "PEUBOT"));
        var payload = Triggered();
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverAsync(payload, path: "/webhooks/pagerduty/eu")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverAsync(payload, secret: "eu-webhook-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(payload, secret: "eu-webhook-secret", path: "/webhooks/pagerduty/eu")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(payload)).StatusCode);

        var incidents = await h.QueryAsync(db => db.Incidents.OrderBy(i => i.Source).Select(i => new { i.Source, i.TicketKey }).ToListAsync());
        Assert.Equal([("pagerduty", "pagerduty:PGR0VU2"), ("pagerduty/eu", "pagerduty/eu:PGR0VU2")], incidents.Select(i => (i.Source, i.TicketKey)));
    }

    [Fact]
    public async Task Receive_NoPagerDutyConfigured_Is404()
    {
        await using var h = await Harness.StartAsync(postgres);
        Assert.Equal(HttpStatusCode.NotFound, (await h.DeliverAsync(Triggered())).StatusCode);
    }

    private static string IncidentOf(PagerDutyPayload payload) =>
        payload.Data["incident"]?["id"]?.GetValue<string>() ?? payload.Data["incident_role_assignments"]![0]!["incident"]!["id"]!.GetValue<string>();
}
