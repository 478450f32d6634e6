using System.Net;
using System.Security.Cryptography;
using Incidents.Data;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Incidents.IntegrationTests.Data;

/// <summary>The zero-config store: the same lifecycle on the embedded SQLite file the service creates itself.</summary>
public sealed class SqliteLifecycleTests
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 31);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    [Fact]
    public async Task Sqlite_FullLifecycleWithThreadAndFile_TranscriptVerifiedAndChannelRemoved()
    {
        await using var h = await Harness.StartAsync(postgres: null);
        Assert.True(h.Services.GetRequiredService<DatabaseSetup>().IsSqlite);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created))).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        using var alice = new ChatPerson(h.Sims, "alice");
        var root = await alice.SayAsync(room.Name, "disk is full on db-2");
        await alice.SayAsync(room.Name, "cleaning /var/log", threadId: root);
        var bytes = RandomNumberGenerator.GetBytes(4096);
        await alice.UploadAsync(room.Id, "df.txt", bytes, "text/plain");
        var delivery = Guid.NewGuid().ToString();
        var closed = GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(5));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(closed, delivery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverAsync(closed, delivery)).StatusCode); // redelivery, on SQLite's unique index
        await h.RunOutboxAsync();

        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
        var body = TranscriptMarker.TryParse(Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number)).Body)!.Body;
        Assert.Contains("disk is full on db-2", body);
        Assert.Contains("> cleaning /var/log", body);
        Assert.Contains("df.txt", body);
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        var incident = await h.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
        var html = await (await h.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/incidents/{incident}/transcript?format=html")
        {
            Headers = { Authorization = new("Bearer", Harness.AdminKey) },
        })).Content.ReadAsStringAsync();
        Assert.Contains("disk is full on db-2", html);
    }

    [Fact]
    public async Task Sqlite_RestartMidExportAndReopen_ResumeWithoutDuplicates()
    {
        await using var h = await Harness.StartAsync(postgres: null, s => s["RocketChat:HistoryPageSize"] = "20");
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        for (var i = 0; i < 120; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"line-{i:D3}", Harness.Start.AddSeconds(i + 1));
        }
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Sims.Faults.RocketChat.Seed = 3;
        h.Sims.Faults.RocketChat.ErrorRate = 0.3;
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, h.Time.GetUtcNow()));
        for (var round = 0; await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()) != ChannelStatus.Removed; round++)
        {
            Assert.True(round < 100, "the export does not finish");
            await h.RunOutboxAsync();
            await h.RestartAsync();
            h.Time.Advance(TimeSpan.FromMinutes(2));
        }
        h.Sims.Faults.RocketChat.ErrorRate = 0;
        var text = TranscriptMarker.TryParse(Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number)).Body)!.Body;
        Assert.All(Enumerable.Range(0, 120), i => Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, $"line-{i:D3}\\n")));

        await h.DeliverAsync(GitHubPayload.Load("issues.reopened.json").For(Ticket).Reopened(Created, h.Time.GetUtcNow()));
        await h.RunOutboxAsync();
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Count);
        Assert.Equal(2, await h.QueryAsync(db => db.Channels.CountAsync()));
    }
}
