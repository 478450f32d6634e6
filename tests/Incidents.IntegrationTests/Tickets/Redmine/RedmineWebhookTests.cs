using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Incidents.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>The redmine_webhook plugin's deliveries at /webhooks/redmine[/instance], authenticated by the URL's token.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RedmineWebhookTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    private static RedminePayload Opened(long issueId) => RedminePayload.Load("suer.issue.opened.json").For(issueId, Created);

    private static RedminePayload Note(long issueId, long journalId, DateTimeOffset at, string notes, long authorId = 3) =>
        RedminePayload.Load("suer.issue.updated.json").For(issueId, Created).Change(journalId, at, authorId, notes);

    private static RedminePayload StatusChange(long issueId, long journalId, DateTimeOffset at, int from, int to) =>
        RedminePayload.Load("phanan.issue.updated.json").For(issueId, Created).Change(journalId, at).Status(from, to);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-token")]
    [InlineData(RedmineTesting.WebhookToken + "x")]
    public async Task Receive_MissingOrWrongToken_Is401AndStoresNothing(string? token)
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var response = await h.DeliverRedmineAsync(Opened(191).Body(), token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_TokenInTheHeader_IsAccepted()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var response = await h.DeliverRedmineAsync(Opened(191).Body(), token: null, headerToken: RedmineTesting.WebhookToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Receive_NoTokenConfigured_RefusesEveryWebhook()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s => s["Tickets:Redmine:WebhookToken"] = ""));
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverRedmineAsync(Opened(191).Body(), token: "")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverRedmineAsync(Opened(191).Body(), token: RedmineTesting.WebhookToken)).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_OpenCommentUpdateCloseReopen_FollowsTheIssue()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        await h.PollRedmineAsync(); // reads the integration user and the statuses, as the background loop does at start
        var issue = h.Sims.Redmine.CreateIssue("Found a bug");

        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(Opened(issue.Id).Body())).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Contains("I'm having a problem with this.", h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null).Text);

        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(Note(issue.Id, 195, Harness.Start, "Fixed").Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(StatusChange(issue.Id, 196, Harness.Start.AddMinutes(1), 1, 3).Body())).StatusCode);
        await h.RunOutboxAsync();
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.Contains("test user commented on the ticket:\nFixed", texts);
        Assert.Contains(texts, t => t.StartsWith("Ticket updated by @Demo User: ", StringComparison.Ordinal) && t.Contains("+Resolved", StringComparison.Ordinal)
            && t.Contains("-New", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(StatusChange(issue.Id, 197, Harness.Start.AddMinutes(2), 3, 5).Body())).StatusCode);
        await h.RunOutboxAsync();
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });
        Assert.Single(h.Sims.Redmine.Journals(issue.Id), j => j.UserId == h.Sims.Redmine.Bot.Id && j.Notes.Length > 0);

        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(StatusChange(issue.Id, 198, Harness.Start.AddMinutes(3), 5, 2).Body())).StatusCode);
        await h.RunOutboxAsync();
        Assert.EndsWith("-r2", h.Sims.RocketChat.Rooms.Single(r => !r.Deleted).Name);
        var events = await h.QueryAsync(db => db.Deliveries.OrderBy(d => d.Id).Select(d => d.Event).ToListAsync());
        Assert.Equal(["webhook:issue.opened", "webhook:journal.commented", "webhook:journal.updated", "webhook:journal.closed", "webhook:journal.reopened"], events);
    }

    [Fact]
    public async Task Receive_SameJournalTwice_SecondIs200AndChangesNothing()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        await h.PollRedmineAsync();
        await h.DeliverRedmineAsync(Opened(191).Body());
        var note = Note(191, 195, Harness.Start, "Fixed").Body();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(note)).StatusCode);
        var before = await StoredRows(h);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverRedmineAsync(note)).StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_WebhookAndPollSeeTheSameChanges_EachIsStoredOnce()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        await h.PollRedmineAsync();
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Found a bug", author: alice);
        var journal = rm.UpdateIssue(issue.Id, alice, notes: "Fixed")!;

        await h.DeliverRedmineAsync(Opened(issue.Id).Body());
        await h.DeliverRedmineAsync(Note(issue.Id, journal.Id, journal.CreatedOn, "Fixed", alice.Id).Body());
        var poll = Assert.Single(await h.PollAndRunAsync());

        Assert.Equal((0, 2), (poll.Accepted, poll.Duplicates));
        Assert.Equal(2, await h.QueryAsync(db => db.Deliveries.CountAsync()));
        Assert.Single(h.Sims.RocketChat.MessagesOf(Assert.Single(h.Sims.RocketChat.Rooms).Id), m => m.Text.EndsWith("commented on the ticket:\nFixed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receive_StatusChangeBeforeTheStatusesWereRead_Is204AndThePollerDeliversIt()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Found a bug", author: alice);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(Opened(issue.Id).Body())).StatusCode);
        var journal = rm.UpdateIssue(issue.Id, alice, statusId: 5)!;

        var early = await h.DeliverRedmineAsync(StatusChange(issue.Id, journal.Id, journal.CreatedOn, 1, 5).Body());
        Assert.Equal(HttpStatusCode.NoContent, early.StatusCode); // a close cannot be told from an edit yet

        var poll = Assert.Single(await h.PollAndRunAsync());
        Assert.Equal(1, poll.Accepted);
        Assert.Equal(["webhook:issue.opened", "poll:journal.closed"], await h.QueryAsync(db => db.Deliveries.OrderBy(d => d.Id).Select(d => d.Event).ToListAsync()));
    }

    [Fact]
    public async Task Receive_EchoesOfOurOwnWrites_Are204()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        await h.PollRedmineAsync();
        await h.DeliverRedmineAsync(Opened(191).Body());
        var byBot = Note(191, 195, Harness.Start, "anything", h.Sims.Redmine.Bot.Id).Body();
        var marked = Note(191, 196, Harness.Start, "incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=" + new string('a', 64)).Body();
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverRedmineAsync(byBot)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverRedmineAsync(marked)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Deliveries.CountAsync()));
    }

    [Fact]
    public async Task Receive_IssueOfAnotherProject_Is204()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s => s["Tickets:Redmine:Project"] = "ops"));
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverRedmineAsync(Opened(191).Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(RedminePayload.Load("suer.issue.opened.json").For(192, Created, project: "ops").Body())).StatusCode);
    }

    [Fact]
    public async Task Receive_UnhandledAction_Is204()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var response = await h.DeliverRedmineAsync(Opened(191).With(r => r["payload"]!["action"] = "deleted").Body());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("{\"payload\":")]
    [InlineData("[]")]
    [InlineData("{\"payload\":{\"action\":\"opened\",\"issue\":{\"id\":\"not a number\"}}}")]
    [InlineData("{\"payload\":{\"action\":\"opened\",\"issue\":{\"id\":1e30,\"project\":{\"id\":1},\"status\":{\"id\":1},\"created_on\":\"2026-01-01T00:00:00Z\"}}}")]
    public async Task Receive_MalformedJson_Is400ProblemAndStoresNothing(string json)
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var response = await h.DeliverRedmineAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Malformed webhook", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_UpdatedWithoutAJournal_Is400()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        await h.PollRedmineAsync();
        var response = await h.DeliverRedmineAsync(Note(191, 195, Harness.Start, "x").With(r => r["payload"]!.AsObject().Remove("journal")).Body());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Receive_UnstorableValues_AreCleanedOrRefusedNever500()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var nul = Opened(191);
        nul.Issue["subject"] = "nul\u0000subject";
        nul.Issue["description"] = "before\u0000after";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(nul.Body())).StatusCode);
        Assert.Equal("nul\uFFFDsubject", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        var longProject = Opened(192);
        longProject.Issue["project"]!["name"] = new string('p', 5000);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(longProject.Body())).StatusCode);
        Assert.True(await h.QueryAsync(db => db.Incidents.AllAsync(i => i.TicketRef.Length <= 512)));
    }

    [Fact]
    public async Task Receive_NamedInstance_HasItsOwnUrlAndToken()
    {
        const string opsToken = "ops-webhook-token-77";
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s =>
        {
            RedmineTesting.Configure(section: "Tickets:Redmine:Instances:ops", apiKey: "ops-bot-api-key")(s);
            s["Tickets:Redmine:Instances:ops:WebhookToken"] = opsToken;
        }));
        var body = Opened(191).Body();
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverRedmineAsync(body, RedmineTesting.WebhookToken, "/webhooks/redmine/ops")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverRedmineAsync(body, opsToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(body, opsToken, "/webhooks/redmine/ops")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverRedmineAsync(body)).StatusCode); // the same issue number, another instance
        var keys = await h.QueryAsync(db => db.Incidents.OrderBy(i => i.TicketKey).Select(i => i.TicketKey).ToListAsync());
        Assert.Equal(["redmine/ops:191", "redmine:191"], keys);
    }
}
