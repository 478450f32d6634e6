using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Webhooks;

[Collection(PostgresCollection.Name)]
public sealed class ZammadWebhookTests(PostgresServer postgres)
{
    private const long TicketId = 81;
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static Task<Harness> StartAsync(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null) =>
        Harness.StartAsync(postgres, s =>
        {
            ZammadDelivery.Configure(s);
            more?.Invoke(s);
        });

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    private static ZammadPayload Opened() => ZammadPayload.Load().For(TicketId).Created(Created).WithoutArticle();

    private static Task<Incident> TheIncident(Harness h) => h.QueryAsync(db => db.Incidents.Include(i => i.Channels).SingleAsync());

    [Theory]
    [InlineData("wrong-token")]
    [InlineData(null)]
    public async Task Receive_BadOrMissingSignature_Is401AndStoresNothing(string? token)
    {
        await using var h = await StartAsync(postgres);
        var response = await h.DeliverZammadAsync(Opened(), "incidents:opened", token: token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignatureOverDifferentBytes_Is401()
    {
        await using var h = await StartAsync(postgres);
        var body = Encoding.UTF8.GetBytes(Opened().Body());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zammad") { Content = new ByteArrayContent([.. body, (byte)'\n']) };
        request.Headers.Add("X-Zammad-Trigger", "incidents:opened");
        request.Headers.Add("X-Zammad-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature", ZammadDelivery.Sign(ZammadDelivery.Token, body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.SendAsync(request)).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer not-the-token", HttpStatusCode.Unauthorized)]
    [InlineData("Basic emFtbWFkOnNlY3JldA==", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer second-factor-token", HttpStatusCode.Accepted)]
    public async Task Receive_BearerSecondFactorConfigured_OnlyTheExactAuthorizationIsAccepted(string? authorization, HttpStatusCode expected)
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:Zammad:WebhookBearerToken"] = "second-factor-token");
        var response = await h.DeliverZammadAsync(Opened(), "incidents:opened", authorization: authorization);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Receive_BasicSecondFactorConfigured_MatchingCredentialsAreAccepted()
    {
        await using var h = await StartAsync(postgres, s =>
        {
            s["Tickets:Zammad:WebhookUsername"] = "zammad";
            s["Tickets:Zammad:WebhookPassword"] = "secret";
        });
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(Opened(), "incidents:opened", authorization: "Basic emFtbWFkOnNlY3JldA==")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverZammadAsync(Opened(), "incidents:opened", authorization: "Basic emFtbWFkOndyb25n")).StatusCode);
    }

    [Fact]
    public async Task Receive_Redelivery_Is200AndChangesNothing()
    {
        await using var h = await StartAsync(postgres);
        var delivery = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(Opened(), "incidents:opened", delivery)).StatusCode);
        var before = await StoredRows(h);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverZammadAsync(Opened(), "incidents:opened", delivery)).StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Theory]
    [InlineData(null, "d-1")]
    [InlineData("incidents:opened", null)]
    public async Task Receive_MissingTriggerOrDeliveryHeader_Is400(string? trigger, string? delivery)
    {
        await using var h = await StartAsync(postgres);
        var response = await h.DeliverZammadRawAsync(Encoding.UTF8.GetBytes(Opened().Body()), trigger, delivery, ZammadDelivery.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("{\"ticket\":")]
    [InlineData("[]")]
    [InlineData("{\"article\":{}}")]
    [InlineData("{\"ticket\":{\"id\":\"eighty-one\",\"state\":\"open\",\"created_at\":\"2026-03-01T10:00:00Z\"}}")]
    [InlineData("{\"ticket\":{\"id\":81,\"created_at\":\"2026-03-01T10:00:00Z\"}}")]
    public async Task Receive_MalformedSignedJson_Is400ProblemAndStoresNothing(string json)
    {
        await using var h = await StartAsync(postgres);
        var response = await h.DeliverZammadRawAsync(Encoding.UTF8.GetBytes(json), "incidents:opened", Guid.NewGuid().ToString(), ZammadDelivery.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed webhook", problem.GetProperty("title").GetString());
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_OpenUpdateCommentCloseReopen_MapsToTheIncidentsLife()
    {
        await using var h = await StartAsync(postgres);
        h.Sims.Zammad.AddTicket(TicketId);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(Opened(), "incidents:opened")).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var incident = await TheIncident(h);
        Assert.Equal($"zammad:{TicketId}", incident.TicketKey);
        Assert.Equal($"{TicketId}", incident.TicketRef);
        Assert.EndsWith($"/zammad/#ticket/zoom/{TicketId}", incident.Url);
        Assert.Equal("Webhook-Test", incident.Title);

        // An update (owner and state change) is posted into the channel; the ticket stays open.
        var updated = ZammadPayload.Load().For(TicketId).State("open", Created, Harness.Start.AddMinutes(1)).WithoutArticle();
        updated.Ticket["owner"]!["login"] = "jacob@chrispresso.com";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(updated, "incidents:updated")).StatusCode);

        var comment = ZammadPayload.Load().For(TicketId).State("open", Created, Harness.Start.AddMinutes(2))
            .WithArticle(811, "<div>Printer is <b>on fire</b> &amp; smoking.</div><div><br></div><div>Second line</div>", Harness.Start.AddMinutes(2),
                login: "emily@example.com", userId: 8, sender: "Customer");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(comment, "incidents:article")).StatusCode);
        await h.RunOutboxAsync();
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.Contains("Ticket updated by @chris@chrispresso.com: assignees +@jacob@chrispresso.com, -@emma@chrispresso.com", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Christopher Miller commented on the ticket:\nPrinter is on fire & smoking.\n\nSecond line", StringComparison.Ordinal));

        var closed = ZammadPayload.Load().For(TicketId).State("closed", Created, Harness.Start.AddMinutes(3)).WithoutArticle();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(closed, "incidents:closed")).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Closed, (await TheIncident(h)).State);
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);

        var reopened = ZammadPayload.Load().For(TicketId).State("open", Created, Harness.Start.AddMinutes(4)).WithoutArticle();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(reopened, "incidents:reopened")).StatusCode);
        await h.RunOutboxAsync();
        var again = await TheIncident(h);
        Assert.Equal(TicketState.Open, again.State);
        Assert.Equal(2, again.Channels.Count);
    }

    [Theory]
    [InlineData("incidents:updated", "closed")]
    [InlineData("incidents:updated", "merged")]
    [InlineData("Some trigger we were not told about", "closed")]
    [InlineData("incidents:reopened", "removed")] // the state wins over the trigger's name
    public async Task Receive_StateInAClosedState_ClosesWhateverTheTrigger(string trigger, string state)
    {
        await using var h = await StartAsync(postgres);
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        var update = ZammadPayload.Load().For(TicketId).State(state, Created, Harness.Start.AddMinutes(1)).WithoutArticle();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(update, trigger)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Closed, (await TheIncident(h)).State);
    }

    [Fact]
    public async Task Receive_PendingState_CountsAsOpenAndClosedStatesAreConfigurable()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:Zammad:ClosedStates"] = "closed, pending close");
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        var reminder = ZammadPayload.Load().For(TicketId).State("pending reminder", Created, Harness.Start.AddMinutes(1)).WithoutArticle();
        await h.DeliverZammadAsync(reminder, "incidents:updated");
        Assert.Equal(TicketState.Open, (await TheIncident(h)).State);
        var pendingClose = ZammadPayload.Load().For(TicketId).State("pending close", Created, Harness.Start.AddMinutes(2)).WithoutArticle();
        await h.DeliverZammadAsync(pendingClose, "incidents:updated");
        Assert.Equal(TicketState.Closed, (await TheIncident(h)).State);
    }

    [Fact]
    public async Task Receive_OpenedTriggerWithTheFirstArticle_OpensTheIncidentAndRelaysTheDescription()
    {
        await using var h = await StartAsync(postgres);
        var opened = ZammadPayload.Load().For(TicketId).Created(Created).WithArticle(810, "My printer is on fire.", Created, "emily@example.com", 8,
            sender: "Customer", contentType: "text/plain");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(opened, "incidents:opened")).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Contains(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Text.Contains("opened the ticket:\nMy printer is on fire.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("incidents-bot@example.com", "<p>thanks</p>")] // written by the integration user
    [InlineData("chris@chrispresso.com", "<p>incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1</p>")] // carries our marker
    public async Task Receive_OwnArticleEchoedBack_IsIgnored(string login, string body)
    {
        await using var h = await StartAsync(postgres);
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        var before = await StoredRows(h);
        var echo = ZammadPayload.Load().For(TicketId).State("open", Created, Harness.Start.AddMinutes(1)).WithArticle(900, body, Harness.Start.AddMinutes(1), login, 17);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverZammadAsync(echo, "incidents:article")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverZammadAsync(echo, "incidents:updated")).StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SystemArticleOrInternalNoteWhenNotRelayed_PostsNothing()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:Zammad:RelayInternalArticles"] = "false");
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var count = h.Sims.RocketChat.MessagesOf(room.Id).Count;
        var system = ZammadPayload.Load().For(TicketId).State("open", Created, Harness.Start.AddMinutes(1))
            .WithArticle(901, "Auto reply", Harness.Start.AddMinutes(1), sender: "System");
        var note = ZammadPayload.Load().For(TicketId).State("open", Created, Harness.Start.AddMinutes(2))
            .WithArticle(902, "internal remark", Harness.Start.AddMinutes(2), isInternal: true);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(system, "incidents:article")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(note, "incidents:article")).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(count, h.Sims.RocketChat.MessagesOf(room.Id).Count);
    }

    [Fact]
    public async Task Receive_GroupFilter_OnlyTicketsOfTheGroupsBecomeIncidents()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:Zammad:Groups"] = "Incidents, Major Incidents");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverZammadAsync(Opened(), "incidents:opened")).StatusCode);
        var major = Opened();
        major.Ticket["group"]!["name"] = "Major Incidents";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(major, "incidents:opened")).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_SignedButUnstorableValues_AreRefusedOrCleanedNever500()
    {
        await using var h = await StartAsync(postgres);
        var nul = Opened();
        nul.Ticket["title"] = "nul\u0000title";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(nul, "incidents:opened")).StatusCode);
        Assert.Equal("nul\uFFFDtitle", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverZammadAsync(Opened(), "incidents:opened", deliveryId: new string('d', 300))).StatusCode);
        var huge = Opened().With(root => root["ticket"]!["id"] = JsonValue.Create(decimal.Parse("99999999999999999999999", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverZammadAsync(huge, "incidents:opened")).StatusCode);
        var longTrigger = await h.DeliverZammadAsync(Opened().For(82), new string('t', 400));
        Assert.Equal(HttpStatusCode.Accepted, longTrigger.StatusCode);
        Assert.Equal(2, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }
}
