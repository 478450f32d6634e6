using System.Net;
using System.Text;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Lifecycle;

/// <summary>
/// A PagerDuty incident's whole life through the real service: the transcript is written as plain-text notes through
/// the PagerDuty simulator, read back and verified before the channel goes, within PagerDuty's limits.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PagerDutyLifecycleTests(PostgresServer postgres)
{
    private const string Id = "Q05XJA8GDXGOB3";
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static async Task<Harness> StartAsync(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null)
    {
        var h = await Harness.StartAsync(postgres, s =>
        {
            PagerDutyDelivery.Configure(s);
            more?.Invoke(s);
        });
        h.Sims.PagerDuty.CreateIncident(Id);
        return h;
    }

    private static async Task<string> TriggerAsync(Harness h)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(PagerDutyPayload.Incident("incident.triggered", Id, "triggered", Created, Created))).StatusCode);
        await h.RunOutboxAsync();
        return Assert.Single(h.Sims.RocketChat.Rooms).Id;
    }

    private static async Task ResolveAsync(Harness h, DateTimeOffset at) =>
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(PagerDutyPayload.Incident("incident.resolved", Id, "resolved", Created, at))).StatusCode);

    private static Task<List<OutboxMessage>> Unfinished(Harness h) =>
        h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).OrderBy(o => o.Id).ToListAsync());

    [Fact]
    public async Task Lifecycle_TriggerChatNoteResolve_TranscriptIsAPlainTextNoteReadBackAndVerified()
    {
        await using var h = await StartAsync(postgres);
        var roomId = await TriggerAsync(h);
        var room = h.Sims.RocketChat.Room(roomId)!;

        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var root = await alice.SayAsync(room.Name, "Looking at **checkout** <now>");
        await bob.SayAsync(room.Name, "on it", threadId: root);
        await alice.SayAsync(room.Name, "```bash\nkubectl rollout undo deploy/checkout\n  # indented\n```");
        await bob.UploadAsync(roomId, "error.log", Encoding.UTF8.GetBytes("boom\n"), "text/plain", "the log");
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var note = PagerDutyPayload.Note(Id, "Rolled back deploy 42.", h.Time.GetUtcNow()).By("PLH1HKV", "Tenex Engineer");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(note)).StatusCode);
        await h.RunOutboxAsync();

        h.Time.Advance(TimeSpan.FromMinutes(2));
        await ResolveAsync(h, h.Time.GetUtcNow());
        await h.RunOutboxAsync();

        var written = Assert.Single(h.Sims.PagerDuty.Notes(Id));
        Assert.Equal("PINCBOT", written.UserId);
        Assert.StartsWith("[incidents:transcript channel=", written.Content);
        Assert.DoesNotContain("<!--", written.Content);
        var parsed = TranscriptMarker.TryParse(written.Content, PlainTextMarkup.Instance);
        Assert.NotNull(parsed);
        Assert.Equal(TranscriptComments.Sha256(parsed.Body), parsed.PartSha256);
        Assert.Contains("Ticket: A little bump in the road https://acme.pagerduty.com/incidents/Q05XJA8GDXGOB3\n", written.Content);
        var body = parsed.Body;
        Assert.Contains("] @alice\nLooking at **checkout** <now>\n", body);
        Assert.Contains("> ↳ [", body);
        Assert.Contains("] @bob\n> on it\n", body);
        Assert.Contains("```bash\nkubectl rollout undo deploy/checkout\n  # indented\n```\n", body);
        Assert.Contains("Tenex Engineer added a note to the incident:\nRolled back deploy 42.", body);
        Assert.Matches(@"File: error\.log \(5 bytes, sha256 [0-9a-f]{12}…\) http://incidents\.test/transcripts/[0-9a-f]{32}/files/", body);
        Assert.Contains("```json\n{\n  \"format\": \"incidents.transcript-manifest/1\"", body);

        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.Equal([written.Id], channel.TranscriptCommentIds);
        Assert.Equal("https://acme.pagerduty.com/incidents/Q05XJA8GDXGOB3", channel.TranscriptUrl);
        Assert.True(h.Sims.RocketChat.Room(roomId) is null or { Deleted: true });
        // One note written, one listing to verify it; a first publish attempt has nothing to look for.
        Assert.Equal((1, 1), (h.Sims.PagerDuty.CallCount("notes.create"), h.Sims.PagerDuty.CallCount("notes.list")));

        // PagerDuty sends our own note back as incident.annotated: nothing happens.
        var echo = PagerDutyPayload.Note(Id, written.Content[..200], h.Time.GetUtcNow()).By("PINCBOT", "Incidents Bot").With(p => p.Data["trimmed"] = true);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(echo)).StatusCode);
    }

    [Fact]
    public async Task Lifecycle_TranscriptOverTheNoteLimit_IsSplitIntoVerifiedNotes()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:PagerDuty:MaxCommentLength"] = "5000");
        h.Sims.PagerDuty.MaxNoteLength = 5000;
        var roomId = await TriggerAsync(h);
        var filler = string.Join(' ', Enumerable.Repeat("status update with details", 20));
        for (var i = 0; i < 100; i++)
        {
            h.Sims.RocketChat.SeedMessage(roomId, $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }

        await ResolveAsync(h, Harness.Start.AddHours(1));
        await h.RunOutboxAsync();

        var notes = h.Sims.PagerDuty.Notes(Id);
        Assert.True(notes.Count >= 10, $"expected many parts, got {notes.Count}");
        var all = new StringBuilder();
        for (var i = 0; i < notes.Count; i++)
        {
            Assert.True(notes[i].Content.Length <= 5000);
            var parsed = TranscriptMarker.TryParse(notes[i].Content, PlainTextMarkup.Instance)!;
            Assert.Equal((i + 1, notes.Count), (parsed.Part, parsed.Parts));
            Assert.Contains($"(part {i + 1} of {notes.Count})", notes[i].Content);
            all.Append(parsed.Body);
        }
        Assert.All(Enumerable.Range(0, 100), i => Assert.Contains($"{i:D4} status update", all.ToString()));
        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.Equal(notes.Select(n => n.Id), channel.TranscriptCommentIds);
    }

    [Fact]
    public async Task Lifecycle_PagerDuty429_WaitsForTheAnnouncedResetWithoutCountingAFailure()
    {
        await using var h = await StartAsync(postgres);
        await TriggerAsync(h);
        h.Sims.Faults.PagerDuty.TooManyRequests = 1;
        h.Sims.Faults.PagerDuty.RetryAfterSeconds = 37;
        await ResolveAsync(h, Harness.Start.AddMinutes(5));
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await Unfinished(h));
        Assert.Equal(LifecycleAction.CloseChannel, waiting.Kind);
        Assert.Equal(0, waiting.Failures);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(37), waiting.DueAt);
        Assert.Empty(h.Sims.PagerDuty.Notes(Id));

        h.Time.Advance(TimeSpan.FromSeconds(37));
        await h.RunOutboxAsync();
        Assert.Empty(await Unfinished(h));
        Assert.Single(h.Sims.PagerDuty.Notes(Id));
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }

    [Fact]
    public async Task Lifecycle_PagerDutysOwnRateLimit_IsWaitedOutWithoutFailuresOrDuplicateNotes()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:PagerDuty:MaxCommentLength"] = "5000");
        h.Sims.PagerDuty.RateLimitPerMinute = 2;
        var roomId = await TriggerAsync(h);
        var filler = string.Join(' ', Enumerable.Repeat("rate limited details", 20));
        for (var i = 0; i < 25; i++)
        {
            h.Sims.RocketChat.SeedMessage(roomId, $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }
        await ResolveAsync(h, Harness.Start.AddHours(1));

        var minutes = 0;
        for (; minutes < 10 && (await Unfinished(h)).Count > 0; minutes++)
        {
            await h.RunOutboxAsync();
            var waiting = await Unfinished(h);
            Assert.All(waiting, w => Assert.Equal(0, w.Failures));
            Assert.All(waiting, w => Assert.InRange(w.DueAt, h.Time.GetUtcNow(), h.Time.GetUtcNow().AddSeconds(60)));
            h.Time.Advance(TimeSpan.FromSeconds(60));
        }

        Assert.Empty(await Unfinished(h));
        Assert.True(minutes >= 2, "two calls a minute cannot publish and verify several notes at once");
        var notes = h.Sims.PagerDuty.Notes(Id);
        Assert.True(notes.Count >= 3, $"expected several parts, got {notes.Count}");
        Assert.Equal(notes.Count, notes.Select(n => TranscriptMarker.TryParse(n.Content, PlainTextMarkup.Instance)!.Part).Distinct().Count());
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }

    [Fact]
    public async Task Lifecycle_FromAddressNotAUserOfTheAccount_IsRefusedPermanentlyAndTheChannelKept()
    {
        await using var h = await StartAsync(postgres, s => s["Tickets:PagerDuty:FromEmail"] = "stranger@example.com");
        var roomId = await TriggerAsync(h);
        await ResolveAsync(h, Harness.Start.AddMinutes(5));
        await h.RunOutboxAsync();

        var dead = Assert.Single(await Unfinished(h));
        Assert.NotNull(dead.DeadAt);
        Assert.Contains("Requester User Not Found", dead.LastError);
        Assert.Empty(h.Sims.PagerDuty.Notes(Id));
        Assert.False(h.Sims.RocketChat.Room(roomId)!.Deleted);
    }

    [Fact]
    public async Task Lifecycle_NamedInstance_WritesWithItsOwnKeyAndUser()
    {
        await using var h = await StartAsync(postgres, s =>
            PagerDutyDelivery.Configure(s, "Tickets:PagerDuty:Instances:eu", "eu-webhook-secret", "eu-api-key", "eu-bot@example.com", "PEUBOT"));
        h.Sims.PagerDuty.AddApiKey("eu-api-key");
        h.Sims.PagerDuty.AddUser("PEUBOT", "EU Bot", "eu-bot@example.com");
        const string path = "/webhooks/pagerduty/eu";
        await h.DeliverAsync(PagerDutyPayload.Incident("incident.triggered", Id, "triggered", Created, Created), secret: "eu-webhook-secret", path: path);
        await h.RunOutboxAsync();
        await h.DeliverAsync(PagerDutyPayload.Incident("incident.resolved", Id, "resolved", Created, Harness.Start), secret: "eu-webhook-secret", path: path);
        await h.RunOutboxAsync();

        var written = Assert.Single(h.Sims.PagerDuty.Notes(Id));
        Assert.Equal("PEUBOT", written.UserId);
        var incident = await h.QueryAsync(db => db.Incidents.Include(i => i.Channels).SingleAsync());
        Assert.Equal(("pagerduty/eu", "pagerduty/eu:Q05XJA8GDXGOB3", ChannelStatus.Removed), (incident.Source, incident.TicketKey, incident.Channels[0].Status));

        // Its own echo comes back through its own route and is ignored there.
        var echo = PagerDutyPayload.Note(Id, "whatever", Harness.Start).By("PEUBOT", "EU Bot");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(echo, secret: "eu-webhook-secret", path: path)).StatusCode);
    }

    [Fact]
    public async Task WriteBack_UrlsInThePayload_AreNeverFollowed()
    {
        await using var h = await StartAsync(postgres);
        const string elsewhere = "http://127.0.0.1:9/";
        PagerDutyPayload Redirected(PagerDutyPayload p) => p.With(x =>
        {
            x.Data["self"] = elsewhere + "incidents/" + Id;
            x.Data["html_url"] = elsewhere + "incidents/" + Id;
            x.Data["service"]!["self"] = elsewhere + "services/PF9KMXH";
        });
        await h.DeliverAsync(Redirected(PagerDutyPayload.Incident("incident.triggered", Id, "triggered", Created, Created)));
        await h.RunOutboxAsync();
        await h.DeliverAsync(Redirected(PagerDutyPayload.Incident("incident.resolved", Id, "resolved", Created, Harness.Start)));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.PagerDuty.Notes(Id));
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }
}
