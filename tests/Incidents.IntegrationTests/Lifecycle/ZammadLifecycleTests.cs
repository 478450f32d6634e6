using System.Net;
using System.Security.Cryptography;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Simulators.Zammad;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class ZammadLifecycleTests(PostgresServer postgres)
{
    private const long TicketId = 81;
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static ZammadPayload Opened(long ticket = TicketId) => ZammadPayload.Load().For(ticket).Created(Created).WithoutArticle();

    private static ZammadPayload Closed(DateTimeOffset at, long ticket = TicketId) =>
        ZammadPayload.Load().For(ticket).State("closed", Created, at).WithoutArticle();

    private static HtmlMarkup Markup(Harness h) => new($"{h.Sims.BaseUrl}zammad/#");

    [Fact]
    public async Task Lifecycle_OpenChatClose_TranscriptIsAnInternalHtmlNoteWithTheFileAttachedAndVerified()
    {
        await using var h = await Harness.StartAsync(postgres, s => ZammadDelivery.Configure(s));
        h.Sims.Zammad.AddTicket(TicketId);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(Opened(), "incidents:opened")).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);

        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var root = await alice.SayAsync(room.Name, "Looking at <b>printer</b> & the spooler, see https://status.example.com/printers?id=7&x=1.");
        await bob.SayAsync(room.Name, "Found it: ftp://files.example.com/log and javascript:alert(1)", threadId: root);
        await alice.SayAsync(room.Name, "```\nlpstat -t | grep \"<queue>\"\n  indented & kept\n```");

        h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(Closed(h.Time.GetUtcNow()), "incidents:closed")).StatusCode);
        await h.RunOutboxAsync();

        var articles = h.Sims.Zammad.Articles(TicketId);
        Assert.Equal(2, articles.Count); // one transcript part, one note carrying the file
        var part = articles[0];
        Assert.Equal(("note", true, "text/html", "incidents-bot@example.com"), (part.Type, part.Internal, part.ContentType, part.CreatedBy));
        Assert.Equal("Chat transcript (part 1 of 1)", part.Subject);
        var parsed = TranscriptMarker.TryParse(part.Body, Markup(h));
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        Assert.StartsWith("<p>incidents:transcript channel=", part.Body, StringComparison.Ordinal);
        var body = parsed.Body;
        Assert.Contains("<strong>@alice</strong></p>\n<p>Looking at &lt;b&gt;printer&lt;/b&gt; &amp; the spooler, see "
            + "<a href=\"https://status.example.com/printers?id=7&amp;x=1\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">https://status.example.com/printers?id=7&amp;x=1</a>.</p>", body);
        Assert.Contains("<blockquote>\n<p>↳ <code>", body);
        Assert.Contains("ftp<span></span>://files.example.com/log and javascript:alert(1)", body);
        Assert.Contains("<pre><code>lpstat -t | grep \"&lt;queue&gt;\"\n  indented &amp; kept</code></pre>", body);
        Assert.Contains("<p>incidents:manifest</p>", body);

        // What the simulator stored is what it was sent: the markup is a fixed point of Zammad's sanitizer.
        Assert.Equal(part.Body, ZammadSanitizer.Sanitize(part.Body, $"{h.Sims.BaseUrl}zammad/#".ToLowerInvariant()));

        var file = Assert.Single(articles[1].Attachments);
        Assert.EndsWith(".html", file.FileName, StringComparison.Ordinal);
        Assert.Equal("text/html", file.MimeType);
        var html = await h.QueryAsync(async db =>
        {
            using var buffer = new MemoryStream();
            var channel = await db.Channels.SingleAsync();
            await TranscriptBlobs.CopyToAsync(db, channel.Id, "html", buffer, CancellationToken.None);
            return buffer.ToArray();
        });
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(html)), Convert.ToHexStringLower(SHA256.HashData(file.Data)));

        var stored = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, stored.Status);
        Assert.Equal([part.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], stored.TranscriptCommentIds);
        Assert.Equal($"{h.Sims.BaseUrl}zammad/#ticket/zoom/{TicketId}/{part.Id}", stored.TranscriptUrl);
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task Lifecycle_LongTranscript_IsSplitIntoVerifiedArticlesUnderTheConfiguredLimit()
    {
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            ZammadDelivery.Configure(s);
            s["Tickets:Zammad:MaxArticleLength"] = "20000";
        });
        h.Sims.Zammad.AddTicket(TicketId);
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var filler = string.Join(' ', Enumerable.Repeat("status <update> & details", 20));
        for (var i = 0; i < 200; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }
        await h.DeliverZammadAsync(Closed(Harness.Start.AddHours(1)), "incidents:closed");
        await h.RunOutboxAsync();

        var parts = h.Sims.Zammad.Articles(TicketId).Where(a => a.Attachments.Count == 0).ToList();
        Assert.True(parts.Count >= 5, $"expected several parts, got {parts.Count}");
        var all = "";
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.True(parts[i].Body.Length <= 20_000);
            var parsed = TranscriptMarker.TryParse(parts[i].Body, Markup(h))!;
            Assert.Equal((i + 1, parts.Count), (parsed.Part, parsed.Parts));
            all += parsed.Body;
        }
        Assert.All(Enumerable.Range(0, 200), i => Assert.Contains($"{i:D4} status &lt;update&gt; &amp; details", all));
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }

    [Fact]
    public async Task Lifecycle_ZammadAnswers429_WaitsForRetryAfterWithoutCountingAFailure()
    {
        await using var h = await Harness.StartAsync(postgres, s => ZammadDelivery.Configure(s));
        h.Sims.Zammad.AddTicket(TicketId);
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        h.Sims.Faults.Zammad.TooManyRequests = 1;
        h.Sims.Faults.Zammad.RetryAfterSeconds = 41;
        await h.DeliverZammadAsync(Closed(Harness.Start.AddMinutes(1)), "incidents:closed");
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).ToListAsync()));
        Assert.Equal(0, waiting.Failures);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(41), waiting.DueAt);
        Assert.Empty(h.Sims.Zammad.Articles(TicketId));

        h.Time.Advance(TimeSpan.FromSeconds(41));
        await h.RunOutboxAsync();
        Assert.Equal(2, h.Sims.Zammad.Articles(TicketId).Count);
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }

    [Fact]
    public async Task Lifecycle_ArticleCreatedButAnswer500_RetryFindsItAndPostsNoDuplicate()
    {
        await using var h = await Harness.StartAsync(postgres, s => ZammadDelivery.Configure(s));
        h.Sims.Zammad.AddTicket(TicketId);
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        h.Sims.Faults.Zammad.FailAfterCommit = 1;
        await h.DeliverZammadAsync(Closed(Harness.Start.AddMinutes(1)), "incidents:closed");
        await h.RunOutboxAsync();
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.RunOutboxAsync();

        var articles = h.Sims.Zammad.Articles(TicketId);
        Assert.Single(articles, a => a.Attachments.Count == 0);
        Assert.Single(articles, a => a.Attachments.Count == 1);
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }

    [Fact]
    public async Task Lifecycle_NamedInstance_UsesItsOwnTokenKeyPrefixAndApiBase()
    {
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            ZammadDelivery.Configure(s);
            s["Tickets:Zammad:Url"] = "http://127.0.0.1:9/nowhere"; // the default instance's API is unreachable
            ZammadDelivery.Configure(s, "Tickets:Zammad:Instances:emea");
            s["Tickets:Zammad:Instances:emea:WebhookToken"] = "emea-token";
        });
        h.Sims.Zammad.AddTicket(TicketId);
        var wrongToken = await h.DeliverZammadAsync(Opened(), "incidents:opened", path: "/webhooks/zammad/emea");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverZammadAsync(Opened(), "incidents:opened", token: "emea-token", path: "/webhooks/zammad/emea")).StatusCode);
        await h.RunOutboxAsync();
        var incident = await h.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("zammad/emea", $"zammad/emea:{TicketId}"), (incident.Source, incident.TicketKey));

        await h.DeliverZammadAsync(Closed(Harness.Start.AddMinutes(1)), "incidents:closed", token: "emea-token", path: "/webhooks/zammad/emea");
        await h.RunOutboxAsync();
        Assert.Equal(2, h.Sims.Zammad.Articles(TicketId).Count);
        Assert.Equal(ChannelStatus.Removed, (await h.QueryAsync(db => db.Channels.SingleAsync())).Status);
    }

    [Fact]
    public async Task Lifecycle_TicketUnknownToZammad_FailsPermanentlyAndKeepsTheChannel()
    {
        await using var h = await Harness.StartAsync(postgres, s => ZammadDelivery.Configure(s));
        await h.DeliverZammadAsync(Opened(), "incidents:opened");
        await h.RunOutboxAsync();
        await h.DeliverZammadAsync(Closed(Harness.Start.AddMinutes(1)), "incidents:closed");
        await h.RunOutboxAsync();
        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.NotEqual(ChannelStatus.Removed, channel.Status);
        Assert.False(h.Sims.RocketChat.Rooms[0].Deleted);
        var row = await h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).SingleAsync());
        Assert.Contains("Couldn't find Ticket with 'id'=81", row.LastError, StringComparison.Ordinal);
    }
}
