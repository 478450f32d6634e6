using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>Intake by polling Redmine's REST API (the simulator under /redmine/), driven explicitly like the outbox.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RedminePollingTests(PostgresServer postgres)
{
    private static int Count(Harness h, string roomId, string text) =>
        h.Sims.RocketChat.MessagesOf(roomId).Count(m => m.Text.Contains(text, StringComparison.Ordinal));

    private static Task<int> Deliveries(Harness h) => h.QueryAsync(db => db.Deliveries.CountAsync());

    [Fact]
    public async Task Poll_IssueOpenedCommentedUpdatedClosedReopened_FollowsTheTicket()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Checkout returns 500", "Since 09:58.\nAll regions.", alice);

        await h.PollAndRunAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.StartsWith($"inc-incidents-{issue.Id}-", room.Name);
        Assert.Equal($"Checkout returns 500 — {RedmineTesting.PublicUrl}issues/{issue.Id}", room.Topic);
        var intro = h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null);
        Assert.Contains("Since 09:58.\nAll regions.", intro.Text); // Redmine's CRLF description, as LF
        Assert.Contains("@Alice Ops", intro.Text);
        Assert.Contains("Bug, New, Normal", intro.Text);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        rm.UpdateIssue(issue.Id, alice, notes: "Rolling back now.");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        rm.UpdateIssue(issue.Id, alice, statusId: 2);
        await h.PollAndRunAsync();
        Assert.Equal(1, Count(h, room.Id, "Alice Ops commented on the ticket:\nRolling back now."));
        Assert.Equal(1, Count(h, room.Id, "Ticket updated by @Alice Ops: labels +In Progress, -New."));

        using var bob = new ChatPerson(h.Sims, "bob");
        await bob.SayAsync(room.Name, "rollback done, error rate back to normal");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        rm.UpdateIssue(issue.Id, alice, statusId: 5, notes: "Fixed by the rollback.");
        await h.PollAndRunAsync();

        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });
        var note = Assert.Single(rm.Journals(issue.Id), j => j.UserId == rm.Bot.Id && j.Notes.Length > 0);
        Assert.Contains("rollback done, error rate back to normal", note.Notes);
        Assert.Contains("Ticket closed by @Alice Ops (Fixed by the rollback.)", note.Notes);
        Assert.Single(rm.Attachments(issue.Id));
        Assert.Equal(0, rm.WritesWithoutSkipWebhooks);

        // The transcript note and the attachment are our own journals: polling again relays nothing.
        var again = await h.PollAndRunAsync();
        Assert.Equal(0, again.Single().Accepted);

        h.Time.Advance(TimeSpan.FromMinutes(5));
        rm.UpdateIssue(issue.Id, alice, statusId: 2, notes: "It is back.");
        await h.PollAndRunAsync();
        var second = h.Sims.RocketChat.Rooms.Single(r => !r.Deleted);
        Assert.EndsWith("-r2", second.Name);
        Assert.Contains($"{RedmineTesting.PublicUrl}issues/{issue.Id}#change-{note.Id}", h.Sims.RocketChat.MessagesOf(second.Id).Single(m => m.Type is null).Text);
        Assert.Equal(TicketState.Open, await h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync()));
    }

    [Fact]
    public async Task Poll_RestartAndLostCursor_NoEventMissedOrRepeated()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Queue backlog growing", author: alice);
        await h.PollAndRunAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        rm.UpdateIssue(issue.Id, alice, notes: "first note");
        await h.PollAndRunAsync();

        // A crash after the events were stored but before the cursor was saved: the next poll reads it all again.
        await h.QueryAsync(db => db.PollCursors.ExecuteUpdateAsync(s => s.SetProperty(c => c.Cursor, (DateTimeOffset?)null)));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        rm.UpdateIssue(issue.Id, alice, notes: "second note");
        var other = rm.CreateIssue("Disk full on db-2", author: alice);
        await h.RestartAsync();

        var polls = await h.PollAndRunAsync();
        Assert.Equal(2, polls.Single().Accepted); // the second note and the new issue
        Assert.Equal(2, polls.Single().Duplicates); // the first issue's opening and first note, stored before
        Assert.Equal(1, Count(h, room.Id, "first note"));
        Assert.Equal(1, Count(h, room.Id, "second note"));
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Count);
        Assert.Equal(4, await Deliveries(h));

        await h.RestartAsync();
        Assert.Equal(0, Assert.Single(await h.PollAndRunAsync()).Accepted); // the overlap reads both issues again: nothing new
        Assert.Equal(4, await Deliveries(h));
        Assert.NotNull(rm.Issue(other.Id));
    }

    [Fact]
    public async Task Poll_IssueOpenedAndClosedWithinOneSecond_StillGetsItsChannelAndTranscript()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Opened by automation", author: alice);
        rm.UpdateIssue(issue.Id, alice, statusId: 6);
        rm.UpdateIssue(issue.Id, alice, statusId: 1);
        rm.UpdateIssue(issue.Id, alice, statusId: 5); // all within one second

        await h.PollAndRunAsync();
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Count);
        Assert.All(h.Sims.RocketChat.Rooms, r => Assert.True(r.Deleted));
        Assert.Equal(2, rm.Journals(issue.Id).Count(j => j.UserId == rm.Bot.Id && j.Notes.Length > 0));
        Assert.Equal(TicketState.Closed, await h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync()));
    }

    [Fact]
    public async Task Poll_TwoServiceInstancesAtOnce_StoreAndPostEachEventOnce()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        await using var second = await h.SecondInstanceAsync();
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        for (var i = 1; i <= 3; i++)
        {
            var issue = rm.CreateIssue($"Outage {i}", author: alice);
            rm.UpdateIssue(issue.Id, alice, notes: $"note on outage {i}");
        }

        var together = await Task.WhenAll(h.PollRedmineAsync(), second.PollRedmineAsync());
        // Whichever did not get the lease polls afterwards and finds everything stored.
        await second.PollRedmineAsync();
        await h.PollRedmineAsync();
        await Task.WhenAll(h.RunOutboxAsync(), second.RunOutboxAsync());

        Assert.Equal(6, together.SelectMany(p => p).Sum(p => p.Accepted));
        Assert.Equal(6, await Deliveries(h));
        Assert.Equal(3, h.Sims.RocketChat.Rooms.Count);
        Assert.All(h.Sims.RocketChat.Rooms, r => Assert.Equal(1, h.Sims.RocketChat.MessagesOf(r.Id).Count(m => m.Text.Contains("note on outage", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Poll_OnTheEmbeddedSqliteStore_KeepsItsCursorAndLeaseToo()
    {
        await using var h = await Harness.StartAsync(postgres: null, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Cache stampede", author: alice);
        await h.PollAndRunAsync();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        rm.UpdateIssue(issue.Id, alice, statusId: 5);
        await h.RestartAsync();

        Assert.Equal(1, Assert.Single(await h.PollAndRunAsync()).Accepted);
        Assert.Equal(0, Assert.Single(await h.PollAndRunAsync()).Accepted);
        Assert.Single(rm.Journals(issue.Id), j => j.UserId == rm.Bot.Id && j.Notes.Length > 0);
        var cursor = await h.QueryAsync(db => db.PollCursors.SingleAsync());
        Assert.Equal((null, issue.CreatedOn.AddMinutes(1).ToUnixTimeSeconds()), (cursor.LeaseOwner, cursor.Cursor!.Value.ToUnixTimeSeconds()));
    }

    [Fact]
    public async Task Poll_LeaseHeldByAnotherInstance_SkipsUntilTheLeaseExpires()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        h.Sims.Redmine.CreateIssue("Payments delayed");
        await h.QueryAsync(async db =>
        {
            db.PollCursors.Add(new global::Incidents.Tickets.PollCursor { Source = "redmine", LeaseOwner = "another-instance", LeaseUntil = h.Time.GetUtcNow().AddMinutes(5) });
            return await db.SaveChangesAsync();
        });

        var skipped = Assert.Single(await h.PollRedmineAsync());
        Assert.False(skipped.Leased);
        Assert.Equal(0, h.Sims.Redmine.CallCount("issues.list"));

        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)); // the other instance crashed: its lease runs out
        var polled = Assert.Single(await h.PollRedmineAsync());
        Assert.True(polled.Leased);
        Assert.Equal(1, polled.Accepted);
        var cursor = await h.QueryAsync(db => db.PollCursors.SingleAsync());
        Assert.Null(cursor.LeaseOwner); // released after the poll
        Assert.NotNull(cursor.Cursor);
    }

    [Fact]
    public async Task Poll_MoreIssuesThanAPageInOneSecondAndAcrossSeconds_ReadsEveryOne()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        for (var i = 0; i < 230; i++)
        {
            rm.CreateIssue($"same second {i}"); // one timestamp: paged by offset
        }
        for (var i = 0; i < 150; i++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(400));
            rm.CreateIssue($"spread {i}"); // paged by update time
        }

        var poll = Assert.Single(await h.PollRedmineAsync());
        Assert.Null(poll.Error);
        Assert.Equal(380, poll.Accepted);
        Assert.Equal(380, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Poll_ChangeCommittedLateWithAnOlderTimestamp_IsCaughtByTheOverlap()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var slow = rm.CreateIssue("API latency", author: alice);
        var t0 = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(30));
        rm.CreateIssue("Unrelated", author: alice);
        await h.PollAndRunAsync(); // cursor: t0 + 30 s

        // A transaction stamped at t0 + 5 s commits only now, after the poll that passed that time.
        rm.UpdateIssue(slow.Id, alice, notes: "committed late", at: t0.AddSeconds(5));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.PollAndRunAsync();

        var room = h.Sims.RocketChat.Rooms.Single(r => r.Topic!.StartsWith("API latency", StringComparison.Ordinal));
        Assert.Equal(1, Count(h, room.Id, "committed late"));
    }

    [Fact]
    public async Task Poll_RedmineDown_StopsWithoutMovingTheCursorAndCatchesUpLater()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var issue = h.Sims.Redmine.CreateIssue("Search index stale");
        h.Sims.Faults.Redmine.Down = true;

        var failed = Assert.Single(await h.PollRedmineAsync());
        Assert.Contains("503", failed.Error);
        Assert.Null(await h.QueryAsync(db => db.PollCursors.Select(c => c.Cursor).SingleAsync()));
        Assert.Null(await h.QueryAsync(db => db.PollCursors.Select(c => c.LeaseOwner).SingleAsync()));

        h.Sims.Faults.Redmine.Down = false;
        h.Time.Advance(TimeSpan.FromMinutes(3));
        await h.PollAndRunAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Equal(issue.UpdatedOn.ToUnixTimeSeconds(), (await h.QueryAsync(db => db.PollCursors.Select(c => c.Cursor).SingleAsync()))!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Poll_ProjectFilter_TakesOnlyThatProjectsIssues()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s => s["Tickets:Redmine:Project"] = "ops"));
        var rm = h.Sims.Redmine;
        rm.AddProject("ops", "Operations");
        rm.CreateIssue("Not an incident");
        rm.CreateIssue("Pager storm", project: "ops");

        await h.PollAndRunAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.StartsWith("inc-operations-", room.Name);
    }

    [Fact]
    public async Task Poll_FirstPoll_LooksBackOnlyTheInitialLookbackAndAnOlderIssueJoinsWhenItChanges()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var old = rm.CreateIssue("Old issue", author: alice);
        h.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, Assert.Single(await h.PollAndRunAsync()).Issues);
        Assert.Empty(h.Sims.RocketChat.Rooms);

        rm.UpdateIssue(old.Id, alice, notes: "This is hitting customers now.");
        await h.PollAndRunAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Equal(1, Count(h, room.Id, "This is hitting customers now."));
    }

    [Fact]
    public async Task Poll_PrivateNotesAndOwnJournals_AreNotRelayed()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Login loop", author: alice);
        rm.UpdateIssue(issue.Id, alice, notes: "customer names: …", privateNotes: true);
        rm.UpdateIssue(issue.Id, rm.Bot, notes: "written by the integration user");
        rm.UpdateIssue(issue.Id, alice, notes: "incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 pasted back");
        rm.UpdateIssue(issue.Id, alice, notes: "public note");

        await h.PollAndRunAsync();
        var texts = h.Sims.RocketChat.MessagesOf(Assert.Single(h.Sims.RocketChat.Rooms).Id).Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.Contains("public note", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("customer names", StringComparison.Ordinal) || t.Contains("integration user", StringComparison.Ordinal)
            || t.Contains("pasted back", StringComparison.Ordinal));
        Assert.Equal(2, await Deliveries(h)); // opened + the public note
    }

    [Fact]
    public async Task Poll_NamedInstances_PollTheirOwnProjectsWithTheirOwnKeys()
    {
        const string opsKey = "ops-bot-api-key-0123456789";
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s =>
        {
            s["Tickets:Redmine:Project"] = "incidents";
            RedmineTesting.Configure(section: "Tickets:Redmine:Instances:ops", apiKey: opsKey)(s);
            // The same simulated server under another name: the instance's own API base is the only one it calls.
            s["Tickets:Redmine:Instances:ops:Url"] = s["RocketChat:Url"]!.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "redmine/";
            s["Tickets:Redmine:Instances:ops:Project"] = "ops";
        }));
        var rm = h.Sims.Redmine;
        var opsBot = rm.AddUser("ops-bot", "Ops", "Bot", opsKey);
        rm.AddProject("ops", "Operations");
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var mine = rm.CreateIssue("Default instance issue", author: alice);
        var theirs = rm.CreateIssue("Ops instance issue", author: alice, project: "ops");

        var polls = await h.PollAndRunAsync();
        Assert.Equal(["redmine", "redmine/ops"], polls.Select(p => p.Source));
        Assert.All(polls, p => Assert.Equal(1, p.Accepted));
        var keys = await h.QueryAsync(db => db.Incidents.OrderBy(i => i.Source).Select(i => i.TicketKey).ToListAsync());
        Assert.Equal([$"redmine:{mine.Id}", $"redmine/ops:{theirs.Id}"], keys);

        rm.UpdateIssue(theirs.Id, alice, statusId: 5);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.PollAndRunAsync();
        var note = Assert.Single(rm.Journals(theirs.Id), j => j.Notes.Length > 0);
        Assert.Equal(opsBot.Id, note.UserId); // written with the ops instance's key
        Assert.Equal(opsBot.Id, Assert.Single(rm.Attachments(theirs.Id)).AuthorId);
        Assert.DoesNotContain(rm.Journals(mine.Id), j => j.UserId == opsBot.Id || j.UserId == rm.Bot.Id);
    }
}
