using System.Net;
using System.Text;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Simulators;
using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Tickets;

/// <summary>
/// Two instances of one ticket system (the default GitHub and a second organisation "acme" on its own
/// GitHub Enterprise server): each has its own URL, secret, token and API base, and their tickets never mix.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NamedInstanceTests(PostgresServer postgres)
{
    private const string AcmeSecret = "acme-webhook-secret-41c9";
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 7);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    [Fact]
    public async Task Webhook_ForANamedInstance_UsesItsSecretKeyAndApiBase()
    {
        await using var acme = await SimulatorHost.StartAsync(new SimulatorOptions { GitHubToken = "acme-token" });
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            s["Tickets:GitHub:Instances:acme:WebhookSecret"] = AcmeSecret;
            s["Tickets:GitHub:Instances:acme:Token"] = "acme-token";
            s["Tickets:GitHub:Instances:acme:ApiUrl"] = acme.BaseUrl.ToString();
        });
        var opened = GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created);

        // The default instance's secret does not open the acme URL, and an unknown instance is 404.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(h, "/webhooks/github/acme", opened, Harness.WebhookSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(h, "/webhooks/github/nobody", opened, AcmeSecret)).StatusCode);
        Assert.Equal(0, await h.QueryAsync(db => db.Deliveries.CountAsync()));

        // The same ticket number arrives on both instances: two incidents, keyed by instance.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(h, "/webhooks/github/acme", opened, AcmeSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(opened)).StatusCode);
        var keys = await h.QueryAsync(db => db.Incidents.OrderBy(i => i.Source).Select(i => i.Source + " " + i.TicketKey).ToListAsync());
        Assert.Equal(["github github:1296269:7", "github/acme github/acme:1296269:7"], keys);
        await h.RunOutboxAsync();
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Count);

        // Closing acme's ticket writes its transcript to acme's API only.
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var closed = GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, h.Time.GetUtcNow());
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(h, "/webhooks/github/acme", closed, AcmeSecret)).StatusCode);
        await h.RunOutboxAsync();

        var comment = Assert.Single(acme.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.NotNull(TranscriptMarker.TryParse(comment.Body));
        Assert.Empty(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Single(h.Sims.RocketChat.Rooms, r => !r.Deleted); // the default instance's channel is still open
    }

    private static async Task<HttpResponseMessage> SendAsync(Harness h, string path, GitHubPayload payload, string secret)
    {
        var body = Encoding.UTF8.GetBytes(payload.Body());
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", payload.Event);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", Harness.Sign(secret, body));
        return await h.Client.SendAsync(request);
    }
}
