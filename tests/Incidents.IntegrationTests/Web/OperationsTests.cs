using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Incidents.IntegrationTests.Infrastructure;

namespace Incidents.IntegrationTests.Web;

[Collection(PostgresCollection.Name)]
public sealed class OperationsTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 5);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    [Fact]
    public async Task Metrics_AfterALifecycle_ExposeWebhooksOutboxExportsAndApiCalls()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created), secret: "wrong");
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start));
        await h.RunOutboxAsync();
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var metrics = await h.Client.GetStringAsync("/metrics");
        Assert.Contains("incidents_webhooks_received_total{", metrics);
        Assert.Matches("incidents_webhooks_rejected_total\\{[^}]*reason=\"signature\"[^}]*source=\"github\"[^}]*\\} 1", metrics);
        Assert.Matches("incidents_outbox_attempt_duration_seconds_count\\{[^}]*kind=\"close-channel\"[^}]*outcome=\"done\"", metrics);
        Assert.Contains("incidents_export_duration_seconds_count", metrics);
        Assert.Matches("incidents_api_calls_total\\{[^}]*status=\"200\"[^}]*system=\"rocketchat\"", metrics);
        Assert.Matches("incidents_api_calls_total\\{[^}]*status=\"201\"[^}]*system=\"github\"", metrics);
        Assert.Matches("incidents_incidents\\{[^}]*state=\"closed\"[^}]*\\} 1", metrics);
        Assert.Matches("incidents_outbox_rows\\{[^}]*state=\"dead\"[^}]*\\} 0", metrics);
    }

    [Fact]
    public async Task OpenApi_DocumentsTheAdminAndWebhookEndpoints_AndScalarServesIt()
    {
        await using var h = await Harness.StartAsync(postgres);
        var document = await h.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/incidents", "/incidents/{id}", "/incidents/{id}/transcript", "/webhooks/{system}", "/webhooks/{system}/{instance}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not documented");
        }
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task Logs_OfAFullLifecycle_NeverContainAConfiguredSecret()
    {
        var logs = new CapturedLogs();
        // Everything, down to Trace: HTTP client headers, EF commands with their parameters, Kestrel.
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            s["Logging:LogLevel:Default"] = "Trace";
            s["Logging:LogLevel:Microsoft"] = "Trace";
            s["Logging:LogLevel:System"] = "Trace";
            s["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            s["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace";
            s["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace";
        }, logs: logs);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created), secret: "wrong");
        h.Sims.Faults.GitHub.FailAfterCommit = 1; // errors are logged too
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start));
        await h.RunOutboxAsync();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);

        Assert.True(logs.Lines.Count > 200, $"the lifecycle was logged ({logs.Lines.Count} lines)");
        Assert.Contains(logs.Lines, l => l.Contains("X-Auth-Token", StringComparison.Ordinal)); // headers were logged, values redacted
        var secrets = new[] { Harness.WebhookSecret, Harness.AdminKey, h.Sims.Options.BotToken, h.Sims.Options.GitHubToken, "test-signing-key-0123456789abcdef0123456789" };
        foreach (var line in logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line);
            }
        }
    }
}
