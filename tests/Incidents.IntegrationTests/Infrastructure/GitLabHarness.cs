using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Incidents.Simulators;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>GitLab for a <see cref="Harness"/>: configuration pointing at the simulator, and deliveries shaped like GitLab's.</summary>
internal static class GitLabHarness
{
    public const string WebhookSecret = "gitlab-webhook-secret-5d1c";

    /// <summary>Configures the GitLab instance of <paramref name="section"/> against the simulator's <c>/gitlab/api/v4</c>.</summary>
    public static void Configure(Dictionary<string, string?> settings, string section = "Tickets:GitLab", string secret = WebhookSecret,
        string token = GitLabState.DefaultToken, string bot = GitLabState.DefaultBotUsername)
    {
        // The harness has already pointed Rocket.Chat at the simulators' root URL.
        var simulators = settings["RocketChat:Url"]!;
        settings[$"{section}:WebhookSecret"] = secret;
        settings[$"{section}:Token"] = token;
        settings[$"{section}:ApiUrl"] = simulators + "gitlab/api/v4";
        settings[$"{section}:BotUsername"] = bot;
    }

    /// <summary>Delivers a webhook as GitLab does: raw JSON, event name, secret token and the delivery ids.</summary>
    public static Task<HttpResponseMessage> DeliverGitLabAsync(this Harness h, GitLabPayload payload, string? idempotencyKey = "new",
        string? token = WebhookSecret, string route = "/webhooks/gitlab", string? eventUuid = null, Action<HttpRequestHeaders, byte[]>? sign = null) =>
        h.DeliverGitLabRawAsync(payload.Event, Encoding.UTF8.GetBytes(payload.Body()), idempotencyKey, token, route, eventUuid, sign);

    public static async Task<HttpResponseMessage> DeliverGitLabRawAsync(this Harness h, string? eventName, byte[] body, string? idempotencyKey = "new",
        string? token = WebhookSecret, string route = "/webhooks/gitlab", string? eventUuid = null, Action<HttpRequestHeaders, byte[]>? sign = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("GitLab/18.6.0");
        if (eventName is not null)
        {
            request.Headers.Add("X-Gitlab-Event", eventName);
        }
        request.Headers.Add("X-Gitlab-Instance", "https://gitlab.example.com");
        request.Headers.Add("X-Gitlab-Webhook-UUID", Guid.NewGuid().ToString());
        if (eventUuid is not null)
        {
            request.Headers.Add("X-Gitlab-Event-UUID", eventUuid);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey == "new" ? Guid.NewGuid().ToString() : idempotencyKey);
        }
        if (token is not null)
        {
            request.Headers.Add("X-Gitlab-Token", token);
        }
        sign?.Invoke(request.Headers, body);
        return await h.Client.SendAsync(request);
    }

    /// <summary>Adds the Standard Webhooks headers GitLab sends with a signing token.</summary>
    public static Action<HttpRequestHeaders, byte[]> Signed(string signingToken, DateTimeOffset at, string id = "d7f4e1c2-0000-4000-8000-000000000001",
        Func<string, string>? signatures = null) => (headers, body) =>
        {
            var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var signature = "v1," + Sign(signingToken, id, timestamp, body);
            headers.Add("webhook-id", id);
            headers.Add("webhook-timestamp", timestamp);
            headers.Add("webhook-signature", signatures?.Invoke(signature) ?? signature);
        };

    public static string Sign(string signingToken, string id, string timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(signingToken["whsec_".Length..]);
        return Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body]));
    }
}
