using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Incidents;

[Collection(PostgresCollection.Name)]
public sealed class AdminActionsTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 9);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static async Task<HttpResponseMessage> PostAdminAsync(Harness h, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        return await h.Client.SendAsync(request);
    }

    private static Task<Guid> IncidentId(Harness h) => h.QueryAsync(db => db.Incidents.Select(i => i.Id).SingleAsync());

    [Fact]
    public async Task Requeue_DeadWorkAfterTheCauseIsFixed_Completes()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Outbox:MaxFailures"] = "1");
        h.Sims.Faults.RocketChat.Down = true;
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        var id = await IncidentId(h);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.PostAsync($"/incidents/{id}/requeue", null)).StatusCode);

        h.Sims.Faults.RocketChat.Down = false;
        var response = await PostAdminAsync(h, $"/incidents/{id}/requeue");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32());
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);

        Assert.Equal(HttpStatusCode.Conflict, (await PostAdminAsync(h, $"/incidents/{id}/requeue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAdminAsync(h, $"/incidents/{Guid.NewGuid()}/requeue")).StatusCode);

        var timeline = (await h.AdminGetAsync($"/incidents/{id}")).GetProperty("timeline").EnumerateArray().Select(t => (t.GetProperty("kind").GetString(), t.GetProperty("summary").GetString())).ToList();
        Assert.Equal(["webhook", "error", "admin", "action"], timeline.Select(t => t.Item1));
        Assert.Contains("issues.opened", timeline[0].Item2);
        Assert.Contains("dead", timeline[1].Item2);
        Assert.Equal("open-channel done", timeline[3].Item2);
    }

    [Fact]
    public async Task Close_OpenIncident_ExportsAndRemovesItsChannelNow()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        var id = await IncidentId(h);

        Assert.Equal(HttpStatusCode.OK, (await PostAdminAsync(h, $"/incidents/{id}/close")).StatusCode);
        await h.RunOutboxAsync();
        Assert.True(Assert.Single(h.Sims.RocketChat.Rooms).Deleted);
        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAdminAsync(h, $"/incidents/{id}/close")).StatusCode);
    }

    [Fact]
    public async Task RetryVerificationAndExport_AfterATamperedTicketCopy_PublishAFreshVerifiedTranscript()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Outbox:MaxFailures"] = "2");
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(h.Sims.RocketChat.Rooms[0].Name, "keep me");
        h.Sims.Faults.GitHub.FailAfterCommit = 1;
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start));
        await h.RunOutboxAsync();
        var posted = Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        using var github = new HttpClient { BaseAddress = h.Sims.BaseUrl };
        github.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", h.Sims.Options.GitHubToken);
        (await github.PatchAsJsonAsync($"repos/{Ticket.Repository}/issues/comments/{posted.Id}", new { body = posted.Body + "tampered" })).EnsureSuccessStatusCode();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync(); // publish finds the part; verification fails; the row is dead (second failure)
        var id = await IncidentId(h);

        Assert.NotNull(await h.QueryAsync(db => db.Outbox.Select(o => o.DeadAt).SingleAsync(d => d != null)));
        Assert.Equal(HttpStatusCode.OK, (await PostAdminAsync(h, $"/incidents/{id}/retry-verification")).StatusCode);
        await h.RunOutboxAsync(); // still tampered: verification fails again
        Assert.Equal(ChannelStatus.Published, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));

        Assert.Equal(HttpStatusCode.OK, (await PostAdminAsync(h, $"/incidents/{id}/export")).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        var comments = h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number);
        Assert.Equal(2, comments.Count);
        Assert.Contains("keep me", TranscriptMarker.TryParse(comments[1].Body)!.Body);
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task DryRun_Payload_ShowsTheActionsWithoutStoringOrCallingAnything()
    {
        await using var h = await Harness.StartAsync(postgres);
        var body = Encoding.UTF8.GetBytes(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created).Body());
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github/dry-run") { Content = content };
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        using var response = await h.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("event", result.GetProperty("intake").GetString());
        Assert.False(result.GetProperty("incidentExists").GetBoolean());
        Assert.Equal("open", result.GetProperty("stateAfter").GetString());
        var action = Assert.Single(result.GetProperty("actions").EnumerateArray());
        Assert.Equal("open-channel", action.GetProperty("kind").GetString());
        Assert.StartsWith("inc-codertocat-hello-world-9-", action.GetProperty("channel").GetString());
        Assert.Equal(0, await h.QueryAsync(db => db.Incidents.CountAsync()));
        Assert.Equal(0, h.Sims.RocketChat.TotalCalls);

        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.PostAsync("/webhooks/github/dry-run", new ByteArrayContent(body))).StatusCode);
    }
}
