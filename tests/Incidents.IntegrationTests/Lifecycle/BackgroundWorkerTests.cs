using System.Diagnostics;
using System.Net;
using Incidents.IntegrationTests.Infrastructure;

namespace Incidents.IntegrationTests.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class BackgroundWorkerTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 77);

    [Fact]
    public async Task Worker_AcceptedWebhook_IsActedOnWithoutAnyoneDrivingTheOutbox()
    {
        // The hosted worker as in production: woken by the request that queued the work, not by a test.
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            s["Outbox:Background"] = "true";
            s["Outbox:PollInterval"] = "00:10:00"; // only the wake-up signal can explain a prompt reaction
        });
        var response = await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Harness.Start.AddMinutes(-1)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var deadline = Stopwatch.StartNew();
        while (h.Sims.RocketChat.Rooms.Count == 0 || h.Sims.RocketChat.MessagesOf(h.Sims.RocketChat.Rooms[0].Id).Count(m => m.Type is null) == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the channel did not appear");
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
        Assert.Single(h.Sims.RocketChat.Rooms);
    }
}
