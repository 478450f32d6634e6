using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Simulators;
using Incidents.Transcripts;
using Incidents.Data;
using Incidents.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Incidents.IntegrationTests.Transcripts;

[Collection(PostgresCollection.Name)]
public sealed partial class TranscriptTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 42);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static async Task<(RoomSnapshot Room, Guid IncidentId)> OpenAsync(Harness h)
    {
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        return (Assert.Single(h.Sims.RocketChat.Rooms), await h.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync()));
    }

    private static Task<HttpResponseMessage> CloseAsync(Harness h) =>
        h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, h.Time.GetUtcNow()));

    private static string TicketText(Harness h) =>
        string.Concat(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number).Select(c => TranscriptMarker.TryParse(c.Body)?.Body));

    private static async Task<string> DownloadAsync(Harness h, Guid incidentId, string format)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/incidents/{incidentId}/transcript?format={format}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Export_ThreadLongerThanAHistoryPage_KeepsEveryReplyNestedUnderItsRoot()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["RocketChat:HistoryPageSize"] = "50");
        var (room, _) = await OpenAsync(h);
        var root = h.Sims.RocketChat.SeedMessage(room.Id, "root of a long thread", Harness.Start.AddSeconds(1));
        for (var i = 0; i < 240; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"reply {i:D3}", Harness.Start.AddSeconds(2 + i), tmid: root.Id);
            if (i % 10 == 0)
            {
                h.Sims.RocketChat.SeedMessage(room.Id, $"top {i:D3}", Harness.Start.AddSeconds(2 + i).AddMilliseconds(500));
            }
        }
        h.Time.Advance(TimeSpan.FromHours(1));
        await CloseAsync(h);
        await h.RunOutboxAsync();

        var text = TicketText(h);
        var replies = RepliesRegex().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Enumerable.Range(0, 240).Select(i => i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)), replies);
        var rootAt = text.IndexOf("root of a long thread", StringComparison.Ordinal);
        Assert.True(rootAt >= 0 && rootAt < text.IndexOf("> reply 000", StringComparison.Ordinal));
        Assert.True(text.IndexOf("> reply 239", StringComparison.Ordinal) < text.IndexOf("\ntop 000", StringComparison.Ordinal), "replies sit under their root, before later top-level messages");
    }

    [Fact]
    public async Task Export_EditedDeletedReactedPinnedMessages_AreAllInTheTranscript()
    {
        await using var h = await Harness.StartAsync(postgres, simulator: time => new SimulatorOptions { TimeProvider = time, ShowDeletedStatus = true });
        var (room, incidentId) = await OpenAsync(h);
        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var typo = await alice.SayAsync(room.Name, "restrating db-2");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await alice.EditAsync(room.Id, typo, "restarting db-2");
        var oops = await bob.SayAsync(room.Name, "wrong channel, sorry");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await bob.DeleteAsync(room.Id, oops);
        var key = await alice.SayAsync(room.Name, "root cause: disk full on db-2");
        await bob.ReactAsync(key, ":+1:");
        await alice.PinAsync(key);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await CloseAsync(h);
        await h.RunOutboxAsync();

        var text = TicketText(h);
        Assert.Contains("**@alice** _(edited by @alice 2026-03-01 10:01:00)_\nrestarting db-2", text);
        Assert.DoesNotContain("restrating", text);
        Assert.Contains("_message by @bob removed at 2026-03-01 10:02:00_", text);
        Assert.DoesNotContain("wrong channel", text);
        Assert.Contains("**@alice** 📌 pinned\nroot cause: disk full on db-2", text);
        Assert.Contains(":+1: 1 (@bob)", text);
        Assert.Contains("_@alice pinned a message_", text);

        using var json = JsonDocument.Parse(await DownloadAsync(h, incidentId, "json"));
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(messages, m => m.TryGetProperty("deleted", out var d) && d.GetBoolean());
        Assert.Contains(messages, m => m.TryGetProperty("edited", out _) && m.GetProperty("text").GetString() == "restarting db-2");
    }

    [Fact]
    public async Task Export_UploadedFiles_AreKeptAndTheSignedLinkServesTheExactBytesUntilItExpires()
    {
        await using var h = await Harness.StartAsync(postgres);
        var (room, incidentId) = await OpenAsync(h);
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(room.Name, "logs follow");
        var log = RandomNumberGenerator.GetBytes(150_000);
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
        await alice.UploadAsync(room.Id, "db-2.log", log, "text/plain", "the log");
        await alice.UploadAsync(room.Id, "graph.png", png, "image/png");
        await CloseAsync(h);
        await h.RunOutboxAsync();

        Assert.True(Assert.Single(h.Sims.RocketChat.Rooms).Deleted);
        Assert.Empty(h.Sims.RocketChat.FilesOf(room.Id));
        var text = TicketText(h);
        var link = LinkRegex().Match(text);
        Assert.True(link.Success, text);
        var path = new Uri(link.Groups[1].Value).PathAndQuery;
        var served = await h.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(log, await served.Content.ReadAsByteArrayAsync());
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(log)), text); // the manifest lists it

        Assert.Equal(HttpStatusCode.Forbidden, (await h.Client.GetAsync(path.Replace("sig=", "sig=0", StringComparison.Ordinal)[..^1])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await h.Client.GetAsync(path.Split('?')[0])).StatusCode);
        var html = await DownloadAsync(h, incidentId, "html");
        Assert.Contains("data:image/png;base64,", html);

        h.Time.Advance(TimeSpan.FromDays(366));
        Assert.Equal(HttpStatusCode.Forbidden, (await h.Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Export_TicketCopyTamperedBeforeVerification_KeepsTheChannelAndShowsWhy()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Outbox:MaxFailures"] = "3");
        var (room, incidentId) = await OpenAsync(h);
        h.Sims.Faults.GitHub.FailAfterCommit = 1; // the comment is stored, the answer is lost
        await CloseAsync(h);
        await h.RunOutboxAsync();
        var posted = Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));

        // Someone edits the transcript comment in GitHub before the service reads it back.
        using var github = new HttpClient { BaseAddress = h.Sims.BaseUrl };
        github.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", h.Sims.Options.GitHubToken);
        using var edit = await github.PatchAsJsonAsync($"repos/{Ticket.Repository}/issues/comments/{posted.Id}", new { body = posted.Body.Replace("Another Test Issue", "edited", StringComparison.Ordinal) + "\nextra" });
        Assert.True(edit.IsSuccessStatusCode);

        for (var i = 0; i < 4; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(2));
            await h.RunOutboxAsync();
        }
        Assert.False(Assert.Single(h.Sims.RocketChat.Rooms).Deleted);
        var detail = await h.AdminGetAsync($"/incidents/{incidentId}");
        var channel = detail.GetProperty("channels")[0];
        Assert.Equal("Published", channel.GetProperty("status").GetString());
        Assert.Contains("do not match their hash", channel.GetProperty("lastError").GetString());
        Assert.Contains("verification failed", detail.GetProperty("deadWork")[0].GetProperty("lastError").GetString());
        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
    }

    [Fact]
    public async Task Export_CrashesAndErrorsWhilePaging_ResumeFromTheCheckpointWithoutDuplicates()
    {
        const int count = 1500;
        await using var h = await Harness.StartAsync(postgres);
        var (room, incidentId) = await OpenAsync(h);
        for (var i = 0; i < count; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"msg-{i:D5}", Harness.Start.AddMilliseconds(i + 1));
        }
        h.Time.Advance(TimeSpan.FromHours(1));
        await CloseAsync(h);
        h.Sims.Faults.RocketChat.Seed = 11;
        h.Sims.Faults.RocketChat.ErrorRate = 0.25;
        var rounds = 0;
        while (await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()) != ChannelStatus.Removed)
        {
            Assert.True(++rounds < 200, "the export does not finish");
            await h.RunOutboxAsync();
            if (rounds % 5 == 0)
            {
                await h.RestartAsync(); // a crash between attempts: only the database survives
            }
            h.Time.Advance(TimeSpan.FromMinutes(2));
        }

        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.True(channel.ExportPages > 1);
        var progress = (await h.AdminGetAsync($"/incidents/{incidentId}")).GetProperty("channels")[0].GetProperty("export");
        Assert.True(progress.GetProperty("historyComplete").GetBoolean());
        Assert.True(progress.GetProperty("messages").GetInt32() >= count);
        Assert.Equal(channel.ExportPages, progress.GetProperty("pages").GetInt32());
        var text = TicketText(h);
        Assert.All(Enumerable.Range(0, count), i => Assert.Single(Regex.Matches(text, $"msg-{i:D5}\\n")));
        using var json = JsonDocument.Parse(await DownloadAsync(h, incidentId, "json"));
        var texts = json.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.TryGetProperty("text", out var t) ? t.GetString() : null).ToList();
        Assert.All(Enumerable.Range(0, count), i => Assert.Single(texts, t => t == $"msg-{i:D5}"));
        Assert.Equal(texts.Count, json.RootElement.GetProperty("counts").GetProperty("messages").GetInt32());
        var comments = h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number);
        Assert.Equal(comments.Count, comments.Select(c => TranscriptMarker.TryParse(c.Body)!.Part).Distinct().Count());
    }

    [Fact]
    public async Task Export_RateLimitStorm_SlowsTheExportButNeverFailsIt()
    {
        // The bot without its rate-limit bypass: Rocket.Chat's own limiter allows 5 history calls a minute.
        await using var h = await Harness.StartAsync(postgres, s => s["RocketChat:HistoryPageSize"] = "20", time => new SimulatorOptions
        {
            TimeProvider = time,
            BotBypassesRateLimit = false,
            RateLimitCalls = 5,
            RateLimitWindow = TimeSpan.FromSeconds(60),
        });
        var (room, _) = await OpenAsync(h);
        for (var i = 0; i < 300; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"storm-{i:D3}", Harness.Start.AddSeconds(i + 1));
        }
        h.Time.Advance(TimeSpan.FromHours(1));
        await CloseAsync(h);
        var rounds = 0;
        while (await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()) != ChannelStatus.Removed)
        {
            Assert.True(++rounds < 100, "the export does not finish");
            h.Sims.Faults.RocketChat.TooManyRequests = rounds % 2; // and extra 429 bursts on top
            await h.RunOutboxAsync();
            h.Time.Advance(TimeSpan.FromSeconds(61));
        }

        Assert.True(rounds > 3, "the limiter really slowed the export");
        var close = await h.QueryAsync(db => db.Outbox.SingleAsync(o => o.Kind == "close-channel"));
        Assert.Equal(0, close.Failures);
        Assert.True(close.Attempts > 5);
        var text = TicketText(h);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Single(Regex.Matches(text, $"storm-{i:D3}\\n")));
    }

    [Fact]
    public async Task Download_AllThreeFormats_NeedTheAdminKeyAndDescribeTheSameTranscript()
    {
        await using var h = await Harness.StartAsync(postgres);
        var (room, incidentId) = await OpenAsync(h);
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(room.Name, "<script>alert(1)</script> **bold**");
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadRawAsync(h, incidentId, "md")).StatusCode);
        await CloseAsync(h);
        await h.RunOutboxAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.GetAsync($"/incidents/{incidentId}/transcript")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DownloadRawAsync(h, incidentId, "pdf")).StatusCode);
        var md = await DownloadAsync(h, incidentId, "md");
        var html = await DownloadAsync(h, incidentId, "html");
        var json = await DownloadAsync(h, incidentId, "json");
        Assert.Contains("<script>alert(1)</script> **bold**", md);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>alert", html);
        var sha = await h.QueryAsync(db => db.Transcripts.Select(t => t.Sha256).SingleAsync());
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains(sha, md);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Export_ChannelRenderedFromMemoryOrStreamed_GivesTheSameTranscriptHeaderAndParts(string database)
    {
        await using var h = await Harness.StartAsync(database == "postgres" ? postgres : null);
        var (room, _) = await OpenAsync(h);
        // Usernames whose ordinal order ("Zoe" < "adam" < "émile") is not a dictionary's order.
        using var zoe = new ChatPerson(h.Sims, "Zoe");
        using var adam = new ChatPerson(h.Sims, "adam");
        using var emile = new ChatPerson(h.Sims, "émile");
        var root = await zoe.SayAsync(room.Name, "db-2 is down");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await emile.SayAsync(room.Name, "on it", root);
        await adam.SayAsync(room.Name, "second thread");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await adam.SayAsync(room.Name, "me too", root);
        await adam.UploadAsync(room.Id, "db-2.log", RandomNumberGenerator.GetBytes(5_000), "text/plain", "the log");
        await emile.PinAsync(root);
        await CloseAsync(h);
        await h.RunOutboxAsync(); // rendered from memory: the channel has far fewer messages than Transcripts:InMemoryMessages

        await using var scope = h.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IncidentsDbContext>();
        var channel = await db.Channels.SingleAsync();
        var incident = await db.Incidents.AsNoTracking().SingleAsync();
        var stored = await db.Transcripts.AsNoTracking().SingleAsync();
        var storedParts = await db.TranscriptParts.AsNoTracking().OrderBy(p => p.Part).Select(p => p.Content).ToListAsync();
        var storedHtml = await BlobAsync(db, channel.Id, "html");
        Assert.Equal(ChannelStatus.Removed, channel.Status);

        var setup = services.GetRequiredService<DatabaseSetup>();
        var streaming = new TranscriptRendering(db, setup, services.GetRequiredService<FileLinks>(),
            Options.Create(new TranscriptOptions { InMemoryMessages = 0 }), h.Time);
        var ticket = services.GetRequiredService<TicketSystems>().Get(incident.Source);
        var rendered = await streaming.RenderAsync(channel, incident, ticket.Markup, ticket.MaxCommentLength, first: false, CancellationToken.None);
        db.Entry(rendered.Row).State = EntityState.Detached; // the stored row stays; the streamed parts and renderings replace the stored ones
        await db.SaveChangesAsync();

        Assert.Equal(stored.Sha256, rendered.Row.Sha256);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(stored.ManifestJson), System.Text.Json.Nodes.JsonNode.Parse(rendered.Row.ManifestJson)),
            rendered.Row.ManifestJson); // stored as jsonb, which does not keep the formatting
        Assert.Equal((stored.MessageCount, stored.ThreadCount, stored.FileCount, stored.PartCount, stored.JsonBytes, stored.HtmlBytes),
            (rendered.Row.MessageCount, rendered.Row.ThreadCount, rendered.Row.FileCount, rendered.Row.PartCount, rendered.Row.JsonBytes, rendered.Row.HtmlBytes));
        Assert.Equal(storedParts, await db.TranscriptParts.AsNoTracking().OrderBy(p => p.Part).Select(p => p.Content).ToListAsync());
        Assert.Equal(storedHtml, await BlobAsync(db, channel.Id, "html"));

        // A retried publish reads the header from the database: it must say what the header from memory said.
        var names = new CapturedHistory.HeaderNames(channel.Name, incident.TicketRef, incident.Title, incident.Url);
        var fromDatabase = await CapturedHistory.HeaderAsync(db, channel.Id, names, stored.FileCount, CancellationToken.None);
        var fromMemory = CapturedHistory.Header((await CapturedHistory.ReadAllAsync(setup, channel.Id, 100, CancellationToken.None))!, names, stored.FileCount);
        Assert.Equal(fromDatabase with { Participants = [] }, fromMemory with { Participants = [] });
        Assert.Equal(fromDatabase.Participants, fromMemory.Participants);
        Assert.Equal((1, 1), (fromMemory.ThreadCount, fromMemory.FileCount));
        Assert.Equal(fromMemory.Participants.Order(StringComparer.Ordinal), fromMemory.Participants);
        Assert.True(fromMemory.Participants.ToList() is var p && p.IndexOf("Zoe") < p.IndexOf("adam") && p.IndexOf("adam") < p.IndexOf("émile"), string.Join(", ", p));
    }

    private static async Task<byte[]> BlobAsync(IncidentsDbContext db, Guid channelId, string format)
    {
        using var buffer = new MemoryStream();
        Assert.True(await TranscriptBlobs.CopyToAsync(db, channelId, format, buffer, CancellationToken.None));
        return buffer.ToArray();
    }

    private static async Task<HttpResponseMessage> DownloadRawAsync(Harness h, Guid incidentId, string format)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/incidents/{incidentId}/transcript?format={format}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        return await h.Client.SendAsync(request);
    }

    [GeneratedRegex(@"> reply (\d{3})\n")]
    private static partial Regex RepliesRegex();

    [GeneratedRegex(@"📎 \[db-2\.log\]\((http[^)]+)\)")]
    private static partial Regex LinkRegex();
}
