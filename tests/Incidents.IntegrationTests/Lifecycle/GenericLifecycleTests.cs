using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Incidents.Incidents;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Lifecycle;
using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Lifecycle;

/// <summary>The generic ticket system end to end: the documented webhooks in, the transcript out to the reference receiver, read back, verified.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GenericLifecycleTests(PostgresServer postgres)
{
    private const string Ticket = "INC-1042";
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static GenericEvent Opened(string id = Ticket) => GenericEvent.Load("opened.json").For(id).At(Harness.Start.AddMinutes(-1), Created);

    private static GenericEvent Closed(int minute, string id = Ticket) => GenericEvent.Load("closed.json").For(id).At(Harness.Start.AddMinutes(minute), Created);

    private static Task<List<OutboxMessage>> Unfinished(Harness h) =>
        h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).OrderBy(o => o.Id).ToListAsync());

    private static async Task<byte[]> Html(Harness h, Guid channelId)
    {
        using var buffer = new MemoryStream();
        await h.QueryAsync(db => TranscriptBlobs.CopyToAsync(db, channelId, "html", buffer, CancellationToken.None));
        return buffer.ToArray();
    }

    [Fact]
    public async Task Lifecycle_OpenChatClose_TranscriptAndFileAtTheReceiverAreVerifiedThenTheChannelIsDeleted()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(Opened())).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var root = await alice.SayAsync(room.Name, "Looking at the **payments-eu** pool");
        await bob.SayAsync(room.Name, "It is capped at 4", threadId: root);
        await alice.SayAsync(room.Name, "```yaml\npool:\n  max: 64\n```");
        await bob.SayAsync(room.Name, "Unicode survives: Grüße, 東京, 🚀");

        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(Closed(10))).StatusCode);
        await h.RunOutboxAsync();

        var part = Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        var parsed = TranscriptMarker.TryParse(part.Body);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        Assert.StartsWith("<!-- incidents:transcript channel=", part.Body, StringComparison.Ordinal);
        Assert.Contains("### Chat transcript of `#", part.Body);
        Assert.Contains("**@alice**\nLooking at the **payments-eu** pool", parsed.Body);
        Assert.Contains("> ↳ `2026-03-01 10:00:00` **@bob**\n> It is capped at 4", parsed.Body);
        Assert.Contains("```yaml\npool:\n  max: 64\n```", parsed.Body);
        Assert.Contains("Grüße, 東京, 🚀", parsed.Body);
        Assert.Contains("<!-- incidents:manifest -->", parsed.Body);

        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.Equal(channel.Id.ToString("N"), part.Channel);
        Assert.Equal(channel.TranscriptHash, part.TranscriptSha256);
        Assert.Equal([part.Id], channel.TranscriptCommentIds);
        Assert.Equal(part.Url, channel.TranscriptUrl);
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });

        var file = Assert.Single(h.Sims.Generic.Files(GenericSender.Receiver, Ticket));
        Assert.Equal("text/html", file.ContentType);
        Assert.Equal(await Html(h, channel.Id), file.Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file.Content)), file.Sha256);
        Assert.EndsWith($"-transcript-{channel.TranscriptHash![..8]}.html", file.FileName, StringComparison.Ordinal);

        // What the service sent is what the document specifies, and it read both back before deleting.
        var posted = h.Sims.Generic.PostedBodies;
        Assert.Equal(2, posted.Count);
        Assert.Null(CallbackSchema.Errors("part", posted[0]));
        Assert.Null(CallbackSchema.Errors("file", posted[1]));
        Assert.Equal(2, h.Sims.Generic.CallCount("post"));
        Assert.Equal(1, h.Sims.Generic.CallCount("parts.list"));
        Assert.Equal(1, h.Sims.Generic.CallCount("files.list"));
        Assert.Equal(1, h.Sims.Generic.CallCount("files.read"));
        Assert.All(h.Sims.Generic.RequestTargets, t => Assert.True(t is "POST /generic/transcripts" or "GET /generic/transcripts", t));
    }

    [Fact]
    public async Task Lifecycle_CallbackUrlEndingInASlash_IsCalledExactlyAsConfigured()
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:CallbackUrl"] += "/");
        await h.SendGenericAsync(Opened());
        await h.SendGenericAsync(Closed(1));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.All(h.Sims.Generic.RequestTargets, t => Assert.True(t is "POST /generic/transcripts/" or "GET /generic/transcripts/", t));
    }

    [Fact]
    public async Task Lifecycle_TranscriptOverThePartLimit_IsSplitAndReadBackAcrossListingPages()
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:MaxPartLength"] = "4000");
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var filler = string.Join(' ', Enumerable.Repeat("status update with details", 10));
        for (var i = 0; i < 200; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }

        await h.SendGenericAsync(Closed(60));
        await h.RunOutboxAsync();

        var parts = h.Sims.Generic.Parts(GenericSender.Receiver, Ticket);
        Assert.True(parts.Count > h.Sims.Options.GenericPageSize, $"expected more parts than one listing page, got {parts.Count}");
        Assert.All(parts, p => Assert.True(p.Body.Length <= 4000));
        Assert.Equal(Enumerable.Range(1, parts.Count), parts.Select(p => p.Part));
        var all = string.Concat(parts.Select(p => TranscriptMarker.TryParse(p.Body)!.Body));
        Assert.All(Enumerable.Range(0, 200), i => Assert.Contains($"{i:D4} status update", all));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.True(h.Sims.Generic.CallCount("parts.list") >= 2, "the read-back followed next_cursor");
    }

    [Fact]
    public async Task Lifecycle_ReceiverAnswers429_WaitsForRetryAfterWithoutCountingAFailure()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();
        h.Sims.Faults.Generic.TooManyRequests = 1;
        h.Sims.Faults.Generic.RetryAfterSeconds = 37;

        await h.SendGenericAsync(Closed(1));
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await Unfinished(h), o => o.Kind == LifecycleAction.CloseChannel);
        Assert.Equal(0, waiting.Failures);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(37), waiting.DueAt);
        Assert.Empty(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.False(h.Sims.RocketChat.Rooms[0].Deleted);

        h.Time.Advance(TimeSpan.FromSeconds(36));
        await h.RunOutboxAsync();
        Assert.Empty(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Empty(await Unfinished(h));
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task Lifecycle_ReceiverStoresButTheAnswerIsLost_TheRetryFindsThePartInsteadOfPostingAgain()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();
        h.Sims.Faults.Generic.FailAfterCommit = 1;

        await h.SendGenericAsync(Closed(1));
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Equal(ChannelStatus.Captured, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_ReceiverChangesWhatItStores_VerificationFailsAndTheChannelIsKept()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(h.Sims.RocketChat.Rooms[0].Name, "trailing spaces matter   ");
        h.Sims.Generic.AlterStoredBody = body => body.Replace("   \n", "\n", StringComparison.Ordinal);

        await h.SendGenericAsync(Closed(1));
        await h.RunOutboxAsync();

        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Published, channel.Status);
        Assert.Contains("verification failed", channel.LastError);
        Assert.False(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task Lifecycle_CallbackSignedWithAnotherSecret_ReceiverRefusesAndTheChannelIsKept()
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:CallbackSecret"] = "not what the receiver expects");
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();

        await h.SendGenericAsync(Closed(1));
        await h.RunOutboxAsync();

        Assert.Empty(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        var failed = Assert.Single(await Unfinished(h));
        Assert.Contains("401", failed.LastError);
        Assert.False(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task Lifecycle_NamedInstance_HasItsOwnSecretKeysAndReceiver()
    {
        const string opsSecret = "ops-webhook-secret-91";
        await using var h = await GenericSender.StartAsync(postgres, s =>
        {
            s["Tickets:Generic:Instances:ops:WebhookSecret"] = opsSecret;
            s["Tickets:Generic:Instances:ops:CallbackUrl"] = $"{s["RocketChat:Url"]}generic/ops";
            s["Tickets:Generic:Instances:ops:CallbackSecret"] = "ops-callback-secret";
        });
        h.Sims.Generic.SetSecret("ops", "ops-callback-secret");

        // The default instance's secret does not open the named instance, nor the other way round.
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.SendGenericAsync(Opened(), path: "/webhooks/generic/ops")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.SendGenericAsync(Opened(), path: "/webhooks/generic", secret: opsSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.SendGenericAsync(Opened(), path: "/webhooks/generic/other")).StatusCode);

        // The same ticket id in both instances: two incidents, two channels.
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(Opened(), path: "/webhooks/generic/ops", secret: opsSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(Opened())).StatusCode);
        await h.RunOutboxAsync();
        var keys = await h.QueryAsync(db => db.Incidents.OrderBy(i => i.Source).Select(i => new { i.Source, i.TicketKey }).ToListAsync());
        Assert.Equal(["generic", "generic/ops"], keys.Select(k => k.Source));
        Assert.Equal(["generic:INC-1042", "generic/ops:INC-1042"], keys.Select(k => k.TicketKey));
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Select(r => r.Name).Distinct().Count());

        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(Closed(5), path: "/webhooks/generic/ops", secret: opsSecret)).StatusCode);
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Generic.Parts("ops", Ticket));
        Assert.Single(h.Sims.Generic.Files("ops", Ticket));
        Assert.Empty(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Where(c => db.Incidents.Any(i => i.Id == c.IncidentId && i.Source == "generic/ops")).Select(c => c.Status).SingleAsync()));
        Assert.Equal(1, h.Sims.RocketChat.Rooms.Count(r => !r.Deleted));
    }

    [Fact]
    public async Task Lifecycle_FilesOff_OnlyPartsAreSentAndVerified()
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:MaxFileBytes"] = "0");
        await h.SendGenericAsync(Opened());
        await h.SendGenericAsync(Closed(1));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Empty(h.Sims.Generic.Files(GenericSender.Receiver, Ticket));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task WriteBack_UrlsInThePayload_AreNeverCalled()
    {
        // Only Tickets:Generic:CallbackUrl is ever called, whatever a (forged or misdirected) webhook names.
        await using var h = await GenericSender.StartAsync(postgres);
        const string elsewhere = "http://127.0.0.1:9/generic/elsewhere";
        static void Redirect(JsonObject root)
        {
            root["ticket"]!["url"] = elsewhere;
            root["callback_url"] = elsewhere;
        }
        await h.SendGenericAsync(Opened().With(Redirect));
        await h.SendGenericAsync(Closed(1).With(Redirect));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Generic.Parts(GenericSender.Receiver, Ticket));
        Assert.Empty(h.Sims.Generic.Parts("elsewhere", Ticket));
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }
}
