using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Simulators;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Incidents.IntegrationTests.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class ResilienceTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 7);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static Task<List<OutboxMessage>> Unfinished(Harness h) =>
        h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).OrderBy(o => o.Id).ToListAsync());

    [Fact]
    public async Task Outbox_RocketChatDownThenBack_RetriesWithBackoffAndCompletes()
    {
        await using var h = await Harness.StartAsync(postgres);
        h.Sims.Faults.RocketChat.Down = true;
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();

        var failed = Assert.Single(await Unfinished(h));
        Assert.Equal(1, failed.Failures);
        Assert.True(failed.DueAt > h.Time.GetUtcNow(), "the retry waits for its backoff");
        Assert.Contains("503", failed.LastError);
        Assert.Empty(h.Sims.RocketChat.Rooms);

        await h.RunOutboxAsync(); // not due yet: nothing happens
        Assert.Equal(1, (await Unfinished(h))[0].Failures);

        h.Sims.Faults.RocketChat.Down = false;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();
        Assert.Empty(await Unfinished(h));
        Assert.Single(h.Sims.RocketChat.Rooms);
    }

    [Fact]
    public async Task Outbox_RateLimited_WaitsForTheAnnouncedResetWithoutCountingAFailure()
    {
        await using var h = await Harness.StartAsync(postgres);
        h.Sims.Faults.RocketChat.TooManyRequests = 1;
        h.Sims.Faults.RocketChat.RetryAfterSeconds = 37;
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await Unfinished(h));
        Assert.Equal(0, waiting.Failures);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(37), waiting.DueAt);

        h.Time.Advance(TimeSpan.FromSeconds(36));
        await h.RunOutboxAsync();
        Assert.Empty(h.Sims.RocketChat.Rooms);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Empty(await Unfinished(h));
    }

    [Fact]
    public async Task Outbox_RealRocketChatRateLimiter_IsHonouredThroughItsResetHeader()
    {
        await using var h = await Harness.StartAsync(postgres, simulator: time => new SimulatorOptions
        {
            TimeProvider = time,
            BotBypassesRateLimit = false,
            RateLimitCalls = 2,
            RateLimitWindow = TimeSpan.FromSeconds(60),
        });
        for (var n = 1; n <= 3; n++)
        {
            await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket with { Number = n }).Opened(Created));
        }
        await h.RunOutboxAsync();
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Count); // the third channels.create hit the limit
        var limited = (await Unfinished(h)).Single(o => o.Kind == LifecycleAction.OpenChannel);
        Assert.Equal(0, limited.Failures);
        Assert.True(limited.DueAt > h.Time.GetUtcNow() && limited.DueAt <= h.Time.GetUtcNow().AddSeconds(61));

        h.Time.Advance(TimeSpan.FromSeconds(61));
        await h.RunOutboxAsync();
        Assert.Equal(3, h.Sims.RocketChat.Rooms.Count);
    }

    [Fact]
    public async Task Outbox_CrashDuringWriteBackAndBetweenExportAndDelete_ResumesWithoutASecondComment()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(h.Sims.RocketChat.Rooms[0].Name, "we are on it");

        // 1. GitHub stores the transcript comment but the answer is lost (a crash or timeout after the commit).
        h.Sims.Faults.GitHub.FailAfterCommit = 1;
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(1)));
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Equal(ChannelStatus.Captured, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));

        // 2. The service restarts; the transcript is found by its marker, verified, but the chat is down for the delete.
        await h.RestartAsync();
        h.Sims.Faults.RocketChat.Down = true;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();
        Assert.Equal(ChannelStatus.Verified, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.False(h.Sims.RocketChat.Rooms[0].Deleted);

        // 3. Restart again with the chat back: only the delete is left to do.
        await h.RestartAsync();
        h.Sims.Faults.RocketChat.Down = false;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();

        var comment = Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Contains("we are on it", comment.Body);
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Outbox_LostAnswerToChannelCreation_RetryAdoptsTheExistingChannel()
    {
        await using var h = await Harness.StartAsync(postgres);
        h.Sims.Faults.RocketChat.FailAfterCommit = 1;
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Single(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Type is null);
        Assert.Empty(await Unfinished(h));
    }

    [Fact]
    public async Task Outbox_LeaseOfACrashedInstance_IsTakenOverOnlyAfterItExpires()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        var until = h.Time.GetUtcNow().AddMinutes(5);
        await h.QueryAsync(db => db.Outbox.ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseOwner, "crashed-instance").SetProperty(o => o.LeaseUntil, until)));

        await h.RunOutboxAsync();
        Assert.Empty(h.Sims.RocketChat.Rooms);

        h.Time.Advance(TimeSpan.FromMinutes(5).Add(TimeSpan.FromMilliseconds(1)));
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);
    }

    [Fact]
    public async Task Outbox_RowsClaimedAhead_KeepTheirLeasesWhileTheyWaitAndAreGivenBackWhenTheProcessorStops()
    {
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            s["Outbox:MaxConcurrency"] = "1";
            s["Outbox:ClaimAhead"] = "1";
        });
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket with { Number = 8 }).Opened(Created));
        h.Sims.Faults.RocketChat.DownMode = "timeout"; // the first step's call hangs until it is aborted
        h.Sims.Faults.RocketChat.Down = true;

        using var stop = new CancellationTokenSource();
        var run = h.Services.GetRequiredService<OutboxProcessor>().RunUntilIdleAsync(stop.Token);
        // One row runs (in the only slot), the other is claimed ahead and waits for that slot.
        var claimed = await UntilAsync(h, rows => rows.All(r => r.LeaseOwner is not null) && h.Sims.RocketChat.TotalCalls == 1,
            "both rows are leased and the running one's call hangs", run);

        // Both leases are kept alive: the waiting row's too, not only the running one's.
        h.Time.Advance(TimeSpan.FromMinutes(5) / 3 + TimeSpan.FromSeconds(1));
        await UntilAsync(h, rows => rows.Zip(claimed).All(p => p.First.LeaseUntil > p.Second.LeaseUntil), "both leases are extended", run);

        Assert.Equal(1, h.Sims.RocketChat.TotalCalls); // the waiting row has not run

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var rows = await Unfinished(h);
        // The row that was running ran once (it keeps its lease, or its interrupted call was recorded as a failure to retry later);
        // the waiting one is given back, its claim not counted.
        Assert.Single(rows, r => r.Attempts == 1);
        Assert.Single(rows, r => r.LeaseOwner is null && r.LeaseUntil is null && r.Attempts == 0 && r.Failures == 0);

        h.Sims.Faults.RocketChat.Down = false;
        await h.RunOutboxAsync(); // the given-back row runs at once; the other one when its lease expires
        Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Single(await Unfinished(h));
    }

    /// <summary>Waits until the unfinished rows satisfy <paramref name="condition"/> (the processor runs meanwhile), with a deadline.</summary>
    private static async Task<List<OutboxMessage>> UntilAsync(Harness h, Func<List<OutboxMessage>, bool> condition, string what, Task processor)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rows = await Unfinished(h);
            if (rows.Count > 0 && condition(rows))
            {
                return rows;
            }
            Assert.False(processor.IsCompleted, $"the processor ended before {what}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting until {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    [Fact]
    public async Task Outbox_TooManyFailures_MarksTheRowDeadAndTheAdminApiShowsWhy()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Outbox:MaxFailures"] = "3");
        h.Sims.Faults.RocketChat.Down = true;
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        for (var i = 0; i < 3; i++)
        {
            await h.RunOutboxAsync();
            h.Time.Advance(TimeSpan.FromMinutes(2));
        }
        var dead = Assert.Single(await Unfinished(h));
        Assert.NotNull(dead.DeadAt);
        Assert.Equal(3, dead.Failures);

        var id = await h.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
        var detail = await h.AdminGetAsync($"/incidents/{id}");
        var deadWork = Assert.Single(detail.GetProperty("deadWork").EnumerateArray());
        Assert.Contains("503", deadWork.GetProperty("lastError").GetString());

        h.Sims.Faults.RocketChat.Down = false;
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.RunOutboxAsync();
        Assert.Empty(h.Sims.RocketChat.Rooms); // dead work waits for an operator
        Assert.Equal(0, await h.ReconcileAsync()); // and the reconciler does not retry it behind the operator's back
    }

    [Fact]
    public async Task Reconciler_LostOutboxRows_AreQueuedAgainFromTheChannelsState()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start));
        await h.QueryAsync(db => db.Outbox.ExecuteDeleteAsync());

        Assert.Equal(1, await h.ReconcileAsync());
        await h.RunOutboxAsync();

        Assert.True(Assert.Single(h.Sims.RocketChat.Rooms).Deleted);
        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Equal(0, await h.ReconcileAsync());
    }

    [Fact]
    public async Task Outbox_TwoInstancesOnOneDatabase_ShareTheWorkWithoutDoingAnythingTwice()
    {
        await using var a = await Harness.StartAsync(postgres);
        for (var n = 1; n <= 20; n++)
        {
            var ticket = Ticket with { Number = 100 + n };
            await a.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(ticket).Opened(Created));
            await a.DeliverAsync(GitHubPayload.Load("issue_comment.created.json").For(ticket).Comment(Harness.Start, $"note {n}"));
            await a.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(ticket).Closed(Created, Harness.Start.AddMinutes(1)));
        }
        await using var second = await a.SecondInstanceAsync();
        await Task.WhenAll(a.RunOutboxAsync(), second.RunOutboxAsync(), a.RunOutboxAsync(), second.RunOutboxAsync());

        Assert.Equal(20, a.Sims.RocketChat.Rooms.Count);
        Assert.All(a.Sims.RocketChat.Rooms, r => Assert.True(r.Deleted));
        for (var n = 1; n <= 20; n++)
        {
            var comment = Assert.Single(a.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, 100 + n));
            Assert.Contains($"note {n}", comment.Body);
        }
        Assert.Empty(await Unfinished(a));
    }
}
