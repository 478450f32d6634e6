using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Webhooks;

[Collection(PostgresCollection.Name)]
public sealed class JiraWebhookTests(PostgresServer postgres)
{
    private static readonly JiraTicket Ticket = new("10040", "TES-41");
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static Task<Harness> StartAsync(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null) =>
        Harness.StartAsync(postgres, s =>
        {
            JiraWebhooks.Cloud(s);
            more?.Invoke(s);
        });

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    private static JiraPayload Opened() => JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created);

    private static Task<TicketState> State(Harness h) => h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync());

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task Receive_BadOrMissingSignature_Is401AndStoresNothing(string? secret)
    {
        await using var h = await StartAsync(postgres);
        var response = await h.DeliverJiraAsync(Opened(), secret: secret);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignatureOverDifferentBytes_Is401()
    {
        await using var h = await StartAsync(postgres);
        var body = Opened().Body();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jira") { Content = new ByteArrayContent([.. body, (byte)'\n']) };
        request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(JiraWebhooks.Secret), body)));
        request.Headers.Add("X-Atlassian-Webhook-Identifier", "d-1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.SendAsync(request)).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_CapturedBytesUnmodified_AreAcceptedWhenSigned()
    {
        await using var h = await StartAsync(postgres);
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "Jira", "webhook-issue-created.json"));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraRawAsync(raw, "d-raw", JiraWebhooks.Secret)).StatusCode);
        Assert.Equal("jira:10040", await h.QueryAsync(db => db.Incidents.Select(i => i.TicketKey).SingleAsync()));
    }

    [Fact]
    public async Task Receive_CloudRedeliveryWithTheSameIdentifier_Is200AndChangesNothing()
    {
        await using var h = await StartAsync(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(Opened(), "4a2f1f5e-delivery")).StatusCode);
        var before = await StoredRows(h);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverJiraAsync(Opened(), "4a2f1f5e-delivery")).StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_DataCenterRedeliveryWithoutIdentifier_IsRecognisedByItsContent()
    {
        await using var h = await Harness.StartAsync(postgres, s => JiraWebhooks.DataCenter(s));
        var resolved = JiraPayload.Load("webhook-server-issue-updated-resolved.json").For(Ticket).At(Harness.Start, Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(resolved, secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false)).StatusCode);
        var before = await StoredRows(h);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverJiraAsync(resolved, secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false)).StatusCode);
        Assert.Equal(before, await StoredRows(h));
        var delivery = await h.QueryAsync(db => db.Deliveries.SingleAsync());
        Assert.Matches("^sha256:[0-9a-f]{64}$", delivery.DeliveryId);
        Assert.Equal("jira/dc", delivery.Source);
    }

    [Fact]
    public async Task Receive_OpenUpdateCommentCloseReopen_FollowTheIssue()
    {
        await using var h = await StartAsync(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(Opened())).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Equal($"Unit test summary — {h.Sims.BaseUrl}jira/browse/TES-41", room.Topic);

        var labels = JiraPayload.Load("webhook-issue-updated-labels.json").For(Ticket).At(Harness.Start.AddMinutes(1), Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(labels)).StatusCode);
        var comment = JiraPayload.Load("webhook-cloud-comment-created.json").For(Ticket).Comment("10100", "The DB is *back*", Harness.Start.AddMinutes(2));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(comment)).StatusCode);
        await h.RunOutboxAsync();
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.StartsWith("Ticket updated by @Test User: title is now \"Unit test summary 1\"; labels +sad", StringComparison.Ordinal));
        Assert.Contains(texts, t => t == "@Test User commented on the ticket:\nThe DB is *back*");
        // The comment's partial issue did not wipe what the full snapshots said.
        Assert.Equal(["sad", "test-label"], (await h.QueryAsync(db => db.Incidents.SingleAsync())).Labels.Order());

        var resolved = JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start.AddMinutes(3), Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(resolved)).StatusCode);
        Assert.Equal(TicketState.Closed, await State(h));

        var reopened = JiraPayload.Load("webhook-issue-updated-reopened.json").For(Ticket).At(Harness.Start.AddMinutes(4), Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(reopened)).StatusCode);
        Assert.Equal(TicketState.Open, await State(h));
        Assert.Equal(2, await h.QueryAsync(db => db.Channels.CountAsync()));
    }

    [Fact]
    public async Task Receive_StatusMovedOutOfDoneWithoutResolutionChange_ReopensTheStoredClosedIncident()
    {
        await using var h = await StartAsync(postgres);
        await h.DeliverJiraAsync(Opened());
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start.AddMinutes(1), Created));
        Assert.Equal(TicketState.Closed, await State(h));

        // Done → In Progress: the payload names only the old status, the stored state says it was closed.
        var moved = JiraPayload.Load("webhook-issue-updated-started-working.json").For(Ticket).At(Harness.Start.AddMinutes(2), Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(moved)).StatusCode);
        Assert.Equal(TicketState.Open, await State(h));
    }

    [Fact]
    public async Task Receive_DeletedIssue_ClosesItsIncident()
    {
        await using var h = await StartAsync(postgres);
        var deletedTicket = new JiraTicket("10303", "IDT-19");
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(deletedTicket).At(Created, Created));
        var deleted = JiraPayload.Load("webhook-issue-deleted.json").For(deletedTicket).At(Harness.Start, Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(deleted)).StatusCode);
        Assert.Equal(TicketState.Closed, await State(h));
    }

    [Fact]
    public async Task Receive_CommentCreatedAndItsIssueCommentedCompanion_RelayTheCommentOnce()
    {
        await using var h = await Harness.StartAsync(postgres, s => JiraWebhooks.DataCenter(s));
        var dc = new JiraTicket("10013", "PRJX-14");
        var created = JiraPayload.Load("webhook-server-issue-updated-in-progress.json").For(dc).At(Created, Created);
        await h.DeliverJiraAsync(created, secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);

        var comment = JiraPayload.Load("webhook-server-comment-created.json").For(dc);
        var companion = JiraPayload.Load("webhook-server-old-issue-updated-no-event-type-commented.json").For(dc).At(Harness.Start, Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(comment, secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverJiraAsync(companion, secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Text == "@Lev Brouk commented on the ticket:\nunik");
    }

    [Fact]
    public async Task Receive_CommentOnAnIssueWeDoNotKnow_FromServerWithoutIssueDetails_OpensNothing()
    {
        await using var h = await Harness.StartAsync(postgres, s => JiraWebhooks.DataCenter(s));
        var response = await h.DeliverJiraAsync(JiraPayload.Load("webhook-server-comment-created.json"), secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("webhook-cloud-comment-updated.json")]
    [InlineData("webhook-cloud-comment-deleted.json")]
    public async Task Receive_EventsWeDoNotActOn_Are204AndStoreNothing(string file)
    {
        await using var h = await StartAsync(postgres);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverJiraAsync(JiraPayload.Load(file))).StatusCode);
        var worklog = Encoding.UTF8.GetBytes("{\"timestamp\":1700000000000,\"webhookEvent\":\"worklog_created\",\"worklog\":{\"id\":\"1\"}}");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverJiraRawAsync(worklog, "w-1", JiraWebhooks.Secret)).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_OwnCommentsEchoedBack_AreIgnored()
    {
        await using var h = await StartAsync(postgres);
        await h.DeliverJiraAsync(Opened());
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var before = h.Sims.RocketChat.MessagesOf(room.Id).Count;

        var byMarker = JiraPayload.Load("webhook-cloud-comment-created.json").For(Ticket)
            .Comment("10200", "incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=" + new string('a', 64) + " transcript=" + new string('b', 64) + "\nChat transcript", Harness.Start);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverJiraAsync(byMarker)).StatusCode);
        var byAuthor = JiraPayload.Load("webhook-cloud-comment-created.json").For(Ticket)
            .Comment("10201", "a note the integration wrote", Harness.Start, authorAccountId: h.Sims.Options.JiraAccountId);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverJiraAsync(byAuthor)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(before, h.Sims.RocketChat.MessagesOf(room.Id).Count);
    }

    [Theory]
    [InlineData("{\"webhookEvent\":\"jira:issue_created\",")]
    [InlineData("[]")]
    [InlineData("{\"timestamp\":1}")]
    [InlineData("{\"webhookEvent\":\"jira:issue_created\",\"issue\":{\"id\":\"not-an-id\"}}")]
    public async Task Receive_MalformedSignedJson_Is400ProblemAndStoresNothing(string json)
    {
        await using var h = await StartAsync(postgres);
        var response = await h.DeliverJiraRawAsync(Encoding.UTF8.GetBytes(json), "d-1", JiraWebhooks.Secret);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed webhook", problem.GetProperty("title").GetString());
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignedButUnstorableValues_AreRefusedOrCleanedNever500()
    {
        await using var h = await StartAsync(postgres);
        var nul = Opened();
        nul.Fields["summary"] = "nul\u0000title";
        nul.Fields["description"] = "before\u0000after";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(nul)).StatusCode);
        Assert.Equal("nul\uFFFDtitle", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverJiraAsync(Opened(), identifier: new string('d', 300))).StatusCode);
        var longKey = JiraPayload.Load("webhook-issue-created.json").For(new JiraTicket("10041", "TES-" + new string('9', 600))).At(Created, Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(longKey)).StatusCode); // the key only makes the link; it is dropped
        var longId = JiraPayload.Load("webhook-issue-created.json").For(new JiraTicket(new string('1', 600), "TES-42")).At(Created, Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverJiraAsync(longId)).StatusCode);
        Assert.Equal(2, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_ProjectFilter_OnlyIssuesOfConfiguredProjectsBecomeIncidents()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:Jira:ProjectKeys"] = "OPS, INC");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverJiraAsync(Opened())).StatusCode);
        var ops = JiraPayload.Load("webhook-issue-created.json").For(new JiraTicket("10050", "OPS-7")).At(Created, Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(ops)).StatusCode);
        Assert.Equal("jira:10050", await h.QueryAsync(db => db.Incidents.Select(i => i.TicketKey).SingleAsync()));

        // Moved to a project outside the filter (same id, new key): the incident still closes.
        var moved = JiraPayload.Load("webhook-issue-updated-resolved.json").For(new JiraTicket("10050", "ARCH-1")).At(Harness.Start, Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(moved)).StatusCode);
        Assert.Equal(TicketState.Closed, await State(h));
    }

    [Fact]
    public async Task Receive_NamedInstances_EachUseTheirOwnSecretAndKeys()
    {
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            JiraWebhooks.Cloud(s);
            JiraWebhooks.DataCenter(s);
        });
        var dc = JiraPayload.Load("webhook-server-issue-updated-in-progress.json").For(Ticket).At(Created, Created);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverJiraAsync(dc, secret: JiraWebhooks.Secret, path: "/webhooks/jira/dc", cloud: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverJiraAsync(Opened(), secret: JiraWebhooks.DataCenterSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(dc, secret: JiraWebhooks.DataCenterSecret, path: "/webhooks/jira/dc", cloud: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(Opened())).StatusCode);

        var keys = await h.QueryAsync(db => db.Incidents.OrderBy(i => i.Source).Select(i => i.Source + " " + i.TicketKey).ToListAsync());
        Assert.Equal(["jira jira:10040", "jira/dc jira/dc:10040"], keys); // the same issue id on two sites is two incidents
        Assert.Equal(HttpStatusCode.NotFound, (await h.DeliverJiraAsync(Opened(), path: "/webhooks/jira/nonesuch")).StatusCode);
    }
}
