using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incidents.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Webhooks;

[Collection(PostgresCollection.Name)]
public sealed class GitHubWebhookTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 1);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task Receive_BadOrMissingSignature_Is401AndStoresNothing(string? secret)
    {
        await using var h = await Harness.StartAsync(postgres);
        var response = await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created), secret: secret);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignatureOverDifferentBytes_Is401()
    {
        await using var h = await Harness.StartAsync(postgres);
        var body = Encoding.UTF8.GetBytes(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created).Body());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = new ByteArrayContent([.. body, (byte)' ']) };
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", Harness.Sign(Harness.WebhookSecret, body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.SendAsync(request)).StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_Ping_Is200()
    {
        await using var h = await Harness.StartAsync(postgres);
        var response = await h.DeliverAsync(GitHubPayload.Load("ping.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("issues.edited.json", "push")] // an event we do not subscribe to
    [InlineData("issue_comment.edited.json", "issue_comment")] // an action we do not act on
    public async Task Receive_UnhandledEventOrAction_Is204(string file, string eventName)
    {
        await using var h = await Harness.StartAsync(postgres);
        var body = Encoding.UTF8.GetBytes(GitHubPayload.Load(file).Body());
        var response = await h.DeliverRawAsync(eventName, body, Guid.NewGuid().ToString(), Harness.WebhookSecret);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("{\"action\":\"opened\",")]
    [InlineData("[]")]
    [InlineData("{\"action\":\"opened\",\"issue\":{\"number\":\"not a number\"}}")]
    public async Task Receive_MalformedSignedJson_Is400ProblemAndStoresNothing(string json)
    {
        await using var h = await Harness.StartAsync(postgres);
        var response = await h.DeliverRawAsync("issues", Encoding.UTF8.GetBytes(json), Guid.NewGuid().ToString(), Harness.WebhookSecret);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed webhook", problem.GetProperty("title").GetString());
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_BodyOverTheLimit_Is413()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Webhooks:MaxBodyBytes"] = "65536");
        var payload = GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created);
        payload.Issue["body"] = new string('x', 70_000);
        var response = await h.DeliverAsync(payload);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_MissingDeliveryId_Is400()
    {
        await using var h = await Harness.StartAsync(postgres);
        var body = Encoding.UTF8.GetBytes(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created).Body());
        var response = await h.DeliverRawAsync("issues", body, deliveryId: null, Harness.WebhookSecret);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Receive_Redelivery_Is200AndChangesNothing()
    {
        await using var h = await Harness.StartAsync(postgres);
        var payload = GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created);
        var delivery = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(payload, delivery)).StatusCode);
        var before = await StoredRows(h);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverAsync(payload, delivery)).StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_KnownDeliveryIdForANewTicket_Is200AndStoresNoneOfItsRows()
    {
        // The refused delivery row must take the incident, channel, outbox and timeline rows written with it along:
        // first in the batch transaction (COPY), then on the one-by-one path (one implicit transaction, no BEGIN/COMMIT).
        await using var h = await Harness.StartAsync(postgres);
        var delivery = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created), delivery)).StatusCode);
        var before = await h.QueryAsync(async db => (await db.Incidents.CountAsync(), await db.Channels.CountAsync(), await db.Outbox.CountAsync(), await db.Timeline.CountAsync()));

        var other = GitHubPayload.Load("issues.opened.json").For(Ticket with { Number = Ticket.Number + 1 }).Opened(Created);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverAsync(other, delivery)).StatusCode);

        Assert.Equal(before, await h.QueryAsync(async db => (await db.Incidents.CountAsync(), await db.Channels.CountAsync(), await db.Outbox.CountAsync(), await db.Timeline.CountAsync())));
    }

    [Fact]
    public async Task Receive_ConcurrentDeliveriesForOneNewTicket_MakeOneIncidentAndOneChannel()
    {
        await using var h = await Harness.StartAsync(postgres);
        var opened = GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created);
        var sends = Enumerable.Range(0, 12).Select(i => i % 3 == 0
            ? h.DeliverAsync(opened)
            : h.DeliverAsync(GitHubPayload.Load("issue_comment.created.json").For(Ticket).Comment(Harness.Start.AddSeconds(i), $"comment {i}")));
        var responses = await Task.WhenAll(sends);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        await h.RunOutboxAsync();

        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.All(Enumerable.Range(0, 12).Where(i => i % 3 != 0), i => Assert.Single(texts, t => t.EndsWith($"comment {i}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Receive_OwnTranscriptCommentEchoedBack_IsIgnored()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        var echo = GitHubPayload.Load("issue_comment.created.json").For(Ticket)
            .Comment(Harness.Start, "<!-- incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=" + new string('a', 64) + " transcript=" + new string('b', 64) + " -->\nhello");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(echo)).StatusCode);
    }

    [Fact]
    public async Task Receive_LabelFilter_OnlyLabelledIssuesBecomeIncidents()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Tickets:GitHub:Label"] = "incident");
        var plain = GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverAsync(plain)).StatusCode);
        Assert.Equal(0, await h.QueryAsync(db => db.Incidents.CountAsync()));

        var labelled = GitHubPayload.Load("issues.labeled.json").For(Ticket).Opened(Created);
        labelled.Issue["labels"] = JsonSerializer.SerializeToNode(new[] { new { id = 1, name = "incident", color = "d73a4a", @default = false } });
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(labelled)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);
    }

    [Fact]
    public async Task Receive_UnknownSource_Is404()
    {
        await using var h = await Harness.StartAsync(postgres);
        var response = await h.Client.PostAsync("/webhooks/nonesuch", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Receive_MoreThanTheRateLimitFromOneSender_Is429WithRetryAfterAndStoresNothingMore()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Webhooks:RateLimitPerMinute"] = "5");
        var statuses = new List<HttpStatusCode>();
        for (var n = 1; n <= 7; n++)
        {
            statuses.Add((await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket with { Number = n }).Opened(Created))).StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 5), statuses.Take(5));
        var limited = await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket with { Number = 99 }).Opened(Created));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task WriteBack_UrlsInThePayload_AreNeverFollowed()
    {
        // A payload naming other API hosts (as a forged or misdirected webhook could) changes nothing about where
        // the service writes: only the configured Tickets:GitHub:ApiUrl is ever called.
        await using var h = await Harness.StartAsync(postgres);
        const string elsewhere = "http://127.0.0.1:9/";
        GitHubPayload Redirected(GitHubPayload p) => p.With(root =>
        {
            root["issue"]!["url"] = elsewhere + "repos/x/y/issues/1";
            root["issue"]!["comments_url"] = elsewhere + "repos/x/y/issues/1/comments";
            root["issue"]!["repository_url"] = elsewhere + "repos/x/y";
            root["repository"]!["url"] = elsewhere + "repos/x/y";
            root["repository"]!["issue_comment_url"] = elsewhere + "repos/x/y/issues/comments{/number}";
        });
        await h.DeliverAsync(Redirected(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created)));
        await h.DeliverAsync(Redirected(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start)));
        await h.RunOutboxAsync();

        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task Receive_SignedButUnstorableValues_AreRefusedOrCleanedNever500()
    {
        // Found by the hostile campaign: signed payloads whose values the database cannot take.
        await using var h = await Harness.StartAsync(postgres);
        var nul = GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created);
        nul.Issue["body"] = "before\u0000after";
        nul.Issue["title"] = "nul\u0000title";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(nul)).StatusCode);
        Assert.Equal("nul\uFFFDtitle", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        var longDelivery = GitHubPayload.Load("issues.opened.json").For(Ticket with { Number = 2 }).Opened(Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverAsync(longDelivery, deliveryId: new string('d', 300))).StatusCode);

        var longRepo = GitHubPayload.Load("issues.opened.json").For(Ticket with { Repository = "o/" + new string('r', 600), Number = 3 }).Opened(Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverAsync(longRepo)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }
}
