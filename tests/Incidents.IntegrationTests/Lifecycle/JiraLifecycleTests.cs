using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Lifecycle;
using Incidents.Simulators;
using Incidents.Tickets.Jira;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class JiraLifecycleTests(PostgresServer postgres)
{
    private static readonly JiraTicket Ticket = new("10040", "TES-41");
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);
    private const string Dc = "/webhooks/jira/dc";

    private static async Task<Harness> CloudAsync(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null)
    {
        var h = await Harness.StartAsync(postgres, s =>
        {
            JiraWebhooks.Cloud(s);
            more?.Invoke(s);
        });
        h.Sims.Jira.AddIssue(Ticket.Id, Ticket.Key, "Unit test summary");
        return h;
    }

    private static async Task<Harness> DataCenterAsync(PostgresServer postgres)
    {
        var h = await Harness.StartAsync(postgres, s => JiraWebhooks.DataCenter(s));
        h.Sims.Jira.AddIssue(Ticket.Id, Ticket.Key, "Unit test summary");
        return h;
    }

    private static Task<HttpResponseMessage> DeliverDc(Harness h, JiraPayload payload) =>
        h.DeliverJiraAsync(payload, secret: JiraWebhooks.DataCenterSecret, path: Dc, cloud: false);

    /// <summary>A comment read back the way the adapter reads it: ADF through the exact converter, wiki as stored.</summary>
    private static string Text(JiraComment comment)
    {
        if (!comment.IsAdf)
        {
            return comment.Body;
        }
        using var doc = JsonDocument.Parse(comment.Body);
        return JiraAdf.ToText(doc.RootElement);
    }

    private static async Task<byte[]> HtmlTranscriptAsync(Harness h)
    {
        var incidentId = await h.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/incidents/{incidentId}/transcript?format=html");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task Lifecycle_CloudOpenChatCommentResolve_AdfTranscriptAndHtmlFileAreVerifiedAndTheChannelDeleted()
    {
        await using var h = await CloudAsync(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created))).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);

        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var root = await alice.SayAsync(room.Name, "Looking at the *replica* now");
        await bob.SayAsync(room.Name, "Found it in line 3", threadId: root);
        await alice.SayAsync(room.Name, "```sh\ngit commit -m fix\n```");
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-cloud-comment-created.json").For(Ticket).Comment("10101", "Fix is merged.", h.Time.GetUtcNow()));
        await h.RunOutboxAsync();

        h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(h.Time.GetUtcNow(), Created))).StatusCode);
        await h.RunOutboxAsync();

        var posted = Assert.Single(h.Sims.Jira.Comments(Ticket.Id));
        Assert.True(posted.IsAdf);
        var blocks = posted.Adf!["content"]!.AsArray();
        Assert.StartsWith("incidents:transcript channel=", (string?)blocks[0]!["content"]![0]!["text"]); // a visible marker paragraph
        Assert.Contains(blocks, b => (string?)b!["type"] == "codeBlock" && (string?)b["attrs"]?["language"] == "sh" && (string?)b["content"]![0]!["text"] == "git commit -m fix");
        Assert.Contains(blocks, b => (string?)b!["type"] == "codeBlock" && (string?)b["attrs"]?["language"] == "json"); // the manifest
        Assert.Contains(blocks, b => b!["content"] is { } c && c.AsArray().Any(n => (string?)n!["text"] == "@alice" && n["marks"] is not null));

        var parsed = TranscriptMarker.TryParse(Text(posted), JiraAdfMarkup.Instance);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        Assert.Equal(parsed.PartSha256, parsed.BodySha256());
        Assert.Contains("\nLooking at the *replica* now\n", parsed.Body);
        Assert.Contains("↳ 2026-03-01 10:00:00 \uE000@bob\uE001\nFound it in line 3", parsed.Body);
        Assert.Contains("Fix is merged.", parsed.Body);
        Assert.Contains("{code:sh}\ngit commit -m fix\n{code}", posted.Wiki); // what API v2 and the issue view show

        var file = Assert.Single(h.Sims.Jira.Attachments(Ticket.Id));
        Assert.Matches("^inc-.*-transcript-[0-9a-f]{8}\\.html$", file.FileName);
        Assert.Equal("text/html", file.MimeType);
        Assert.Equal(SHA256.HashData(await HtmlTranscriptAsync(h)), SHA256.HashData(file.Content));
        Assert.Equal(1, h.Sims.Jira.CallCount("attachment.content")); // read back through Cloud's content endpoint

        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.Equal([posted.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], channel.TranscriptCommentIds);
        Assert.Equal($"{h.Sims.BaseUrl}jira/secure/ViewIssue.jspa?id={Ticket.Id}&focusedCommentId={posted.Id}", channel.TranscriptUrl);
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });
    }

    [Fact]
    public async Task Lifecycle_DataCenterNamedInstance_WikiTranscriptWithEscapedTextAndCodeIsVerified()
    {
        await using var h = await DataCenterAsync(postgres);
        await DeliverDc(h, JiraPayload.Load("webhook-server-issue-updated-in-progress.json").For(Ticket).At(Created, Created));
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(room.Name, "rolled back -v1.2- with *care* [see|x] {code}");
        await alice.SayAsync(room.Name, "```python\nprint('done')\n```");

        Assert.Equal(HttpStatusCode.Accepted, (await DeliverDc(h, JiraPayload.Load("webhook-server-issue-updated-resolved.json").For(Ticket).At(Harness.Start.AddMinutes(5), Created))).StatusCode);
        await h.RunOutboxAsync();

        var posted = Assert.Single(h.Sims.Jira.Comments(Ticket.Id));
        Assert.False(posted.IsAdf);
        Assert.StartsWith("{color:#97a0af}incidents:transcript channel=", posted.Body);
        Assert.Contains("\nh3. Chat transcript of #", posted.Body);
        Assert.Contains("rolled back \\-v1.2\\- with \\*care\\* \\[see\\|x\\] \\{code\\}", posted.Body);
        Assert.Contains("{code:python}\nprint('done')\n{code}", posted.Body);
        Assert.Contains("\n{code:json}\n", posted.Body);
        var parsed = TranscriptMarker.TryParse(posted.Body, JiraWikiMarkup.Instance);
        Assert.Equal(parsed!.PartSha256, parsed.BodySha256());

        var file = Assert.Single(h.Sims.Jira.Attachments(Ticket.Id));
        Assert.Equal(SHA256.HashData(await HtmlTranscriptAsync(h)), SHA256.HashData(file.Content));
        Assert.Equal(1, h.Sims.Jira.CallCount("attachment.download")); // Data Center's /secure/attachment path
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.Equal("jira/dc", await h.QueryAsync(db => db.Incidents.Select(i => i.Source).SingleAsync()));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task Lifecycle_TranscriptOverTheCommentLimit_IsSplitIntoPartsJiraAccepts(int apiVersion)
    {
        await using var h = await CloudAsync(postgres, s => s["Tickets:Jira:ApiVersion"] = apiVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created));
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var filler = string.Join(' ', Enumerable.Repeat("status update - with *details* and `code`", 25));
        for (var i = 0; i < 200; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, i % 10 == 0 ? $"{i:D4}\n```\nstep {i}\n```" : $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }

        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start.AddHours(1), Created));
        await h.RunOutboxAsync();

        var comments = h.Sims.Jira.Comments(Ticket.Id);
        Assert.True(comments.Count >= 4, $"expected several parts, got {comments.Count}");
        var markup = apiVersion == 3 ? (TicketMarkup)JiraAdfMarkup.Instance : JiraWikiMarkup.Instance;
        var all = "";
        for (var i = 0; i < comments.Count; i++)
        {
            Assert.Equal(apiVersion == 3, comments[i].IsAdf);
            Assert.True(comments[i].Wiki.Length <= 32_767); // the count Jira applies
            var parsed = TranscriptMarker.TryParse(Text(comments[i]), markup)!;
            Assert.Equal((i + 1, comments.Count), (parsed.Part, parsed.Parts));
            all += parsed.Body;
        }
        Assert.All(Enumerable.Range(0, 200), i => Assert.Contains($"{i:D4}", all));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_Jira429_IsHonouredWithoutCountingAFailure()
    {
        await using var h = await CloudAsync(postgres);
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created));
        await h.RunOutboxAsync();
        h.Sims.Faults.Jira.TooManyRequests = 1;
        h.Sims.Faults.Jira.RetryAfterSeconds = 42;
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start, Created));
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).ToListAsync()));
        Assert.Equal((LifecycleAction.CloseChannel, 0), (waiting.Kind, waiting.Failures));
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(42), waiting.DueAt);
        Assert.Empty(h.Sims.Jira.Comments(Ticket.Id));

        h.Time.Advance(TimeSpan.FromSeconds(42));
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.Jira.Comments(Ticket.Id));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_AnswerLostAfterTheCommentWasStored_RetryFindsItInsteadOfPostingTwice()
    {
        await using var h = await CloudAsync(postgres);
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created));
        await h.RunOutboxAsync();
        h.Sims.Faults.Jira.FailAfterCommit = 1; // the comment is stored, the answer is a 500
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start, Created));
        await h.RunOutboxAsync();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Jira.Comments(Ticket.Id));
        Assert.Single(h.Sims.Jira.Attachments(Ticket.Id));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_TranscriptLargerThanTheAttachmentLimit_IsPublishedAsCommentsOnly()
    {
        await using var h = await CloudAsync(postgres, s => s["Tickets:Jira:MaxAttachmentBytes"] = "100");
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created));
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start, Created));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Jira.Comments(Ticket.Id));
        Assert.Empty(h.Sims.Jira.Attachments(Ticket.Id));
        Assert.Equal(0, h.Sims.Jira.CallCount("attachments.create"));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_ReopenedThenResolvedAgain_SecondTranscriptHoldsOnlyTheSecondPeriod()
    {
        await using var h = await DataCenterAsync(postgres);
        await DeliverDc(h, JiraPayload.Load("webhook-server-issue-updated-in-progress.json").For(Ticket).At(Created, Created));
        await h.RunOutboxAsync();
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(h.Sims.RocketChat.Rooms[0].Name, "first period talk");
        await DeliverDc(h, JiraPayload.Load("webhook-server-issue-updated-resolved.json").For(Ticket).At(Harness.Start.AddMinutes(10), Created));
        await h.RunOutboxAsync();
        await DeliverDc(h, JiraPayload.Load("webhook-server-issue-updated-reopened.json").For(Ticket).At(Harness.Start.AddMinutes(20), Created));
        await h.RunOutboxAsync();
        var second = h.Sims.RocketChat.Rooms.Single(r => !r.Deleted);
        await alice.SayAsync(second.Name, "second period talk");
        await DeliverDc(h, JiraPayload.Load("webhook-server-issue-updated-closed.json").For(Ticket).At(Harness.Start.AddMinutes(30), Created));
        await h.RunOutboxAsync();

        var comments = h.Sims.Jira.Comments(Ticket.Id);
        Assert.Equal(2, comments.Count);
        Assert.Contains("first period talk", comments[0].Body);
        Assert.Contains("second period talk", comments[1].Body);
        Assert.DoesNotContain("first period talk", comments[1].Body);
        Assert.Equal(2, h.Sims.Jira.Attachments(Ticket.Id).Count);
        Assert.All(h.Sims.RocketChat.Rooms, r => Assert.True(r.Deleted));
    }

    [Fact]
    public async Task WriteBack_UrlsInThePayload_AreNeverFollowed()
    {
        await using var h = await CloudAsync(postgres);
        const string elsewhere = "http://127.0.0.1:9/";
        JiraPayload Redirected(JiraPayload p) => p.With(root =>
        {
            root["issue"]!["self"] = elsewhere + "rest/api/2/issue/10040";
            root["user"]!["self"] = elsewhere + "rest/api/2/user?accountId=x";
            root["issue"]!["fields"]!["project"]!["self"] = elsewhere + "rest/api/2/project/1";
        });
        await h.DeliverJiraAsync(Redirected(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created)));
        await h.DeliverJiraAsync(Redirected(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start, Created)));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.Jira.Comments(Ticket.Id));
        Assert.StartsWith($"{h.Sims.BaseUrl}jira/browse/TES-41", await h.QueryAsync(db => db.Incidents.Select(i => i.Url).SingleAsync()));
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task WriteBack_WrongCredentials_FailPermanentlyAndLeaveTheChannel()
    {
        await using var h = await CloudAsync(postgres, s => s["Tickets:Jira:ApiToken"] = "revoked-token");
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-created.json").For(Ticket).At(Created, Created));
        await h.DeliverJiraAsync(JiraPayload.Load("webhook-issue-updated-resolved.json").For(Ticket).At(Harness.Start, Created));
        await h.RunOutboxAsync();

        var failed = Assert.Single(await h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).ToListAsync()));
        Assert.Contains("401", failed.LastError);
        Assert.Empty(h.Sims.Jira.Comments(Ticket.Id));
        Assert.False(h.Sims.RocketChat.Rooms[0].Deleted);
    }
}
