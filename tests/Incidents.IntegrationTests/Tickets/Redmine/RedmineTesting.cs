using System.Net.Http.Headers;
using System.Text;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Tickets.Redmine;
using Microsoft.Extensions.DependencyInjection;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>The Redmine instance of a test: the simulator under /redmine/, and the service's poller driven by the test.</summary>
internal static class RedmineTesting
{
    public const string WebhookToken = "redmine-webhook-token-5f2c1e";
    public const string PublicUrl = "https://redmine.example.com/";

    /// <summary>Configures the default Redmine instance (or <paramref name="section"/>) against the harness's simulator.</summary>
    public static Action<Dictionary<string, string?>> Configure(Action<Dictionary<string, string?>>? more = null, string section = "Tickets:Redmine", string apiKey = "redmine-bot-api-key") => s =>
    {
        s[$"{section}:Url"] = s["RocketChat:Url"] + "redmine/";
        s[$"{section}:ApiKey"] = apiKey;
        s[$"{section}:PublicUrl"] = PublicUrl;
        s[$"{section}:WebhookToken"] = WebhookToken;
        more?.Invoke(s);
    };

    /// <summary>Polls every configured Redmine instance once, as the background loop does every PollInterval.</summary>
    public static Task<IReadOnlyList<RedminePoll>> PollRedmineAsync(this Harness h) => Poll(h.Services);

    public static Task<IReadOnlyList<RedminePoll>> PollRedmineAsync(this Harness.Instance instance) => Poll(instance.Services);

    /// <summary>Polls, then runs the work it queued.</summary>
    public static async Task<IReadOnlyList<RedminePoll>> PollAndRunAsync(this Harness h)
    {
        var polls = await h.PollRedmineAsync();
        Assert.All(polls, p => Assert.Null(p.Error));
        await h.RunOutboxAsync();
        return polls;
    }

    /// <summary>Posts a webhook body as the redmine_webhook plugin does (JSON, the token in the URL's query).</summary>
    public static async Task<HttpResponseMessage> DeliverRedmineAsync(this Harness h, string body, string? token = WebhookToken, string path = "/webhooks/redmine",
        string? headerToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, token is null ? path : $"{path}?token={Uri.EscapeDataString(token)}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("Faraday v1.10.3");
        if (headerToken is not null)
        {
            request.Headers.Add("X-Webhook-Token", headerToken);
        }
        return await h.Client.SendAsync(request);
    }

    private static Task<IReadOnlyList<RedminePoll>> Poll(IServiceProvider services) =>
        services.GetRequiredService<RedminePoller>().RunAllOnceAsync(CancellationToken.None);
}
