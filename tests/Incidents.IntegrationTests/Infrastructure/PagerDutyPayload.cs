using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Incidents.Simulators;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// A PagerDuty v3 delivery built from PagerDuty's published examples (Payloads/PagerDuty, see SOURCES.md): the whole
/// <c>incident.priority_updated</c> example with another <c>event_type</c>, optionally carrying one of the published
/// <c>event.data</c> objects. Tests re-point only identity fields (incident id, status, times, agent, note text) so the
/// examples describe one incident's life.
/// </summary>
internal sealed class PagerDutyPayload
{
    private readonly JsonNode _root;

    private PagerDutyPayload(JsonNode root) => _root = root;

    public JsonObject Event => _root["event"]!.AsObject();

    public JsonObject Data => Event["data"]!.AsObject();

    public string EventType => Event["event_type"]!.GetValue<string>();

    /// <summary>A published whole delivery, as it is.</summary>
    public static PagerDutyPayload Load(string file) => new(JsonNode.Parse(File.ReadAllText(Path(file)))!);

    /// <summary>The published delivery as <paramref name="eventType"/>, with the published <paramref name="dataFile"/> as its data.</summary>
    public static PagerDutyPayload Of(string eventType, string? dataFile = null)
    {
        var payload = Load("incident.priority_updated.json");
        payload.Event["event_type"] = eventType;
        payload.Event["id"] = Guid.NewGuid().ToString();
        if (dataFile is not null)
        {
            payload.Event["data"] = JsonNode.Parse(File.ReadAllText(Path(dataFile)));
        }
        return payload;
    }

    /// <summary>An incident event (<c>data.type: "incident"</c>) about <paramref name="incidentId"/> in <paramref name="status"/>.</summary>
    public static PagerDutyPayload Incident(string eventType, string incidentId, string status, DateTimeOffset createdAt, DateTimeOffset at) =>
        Of(eventType).For(incidentId).Status(status).Created(createdAt).At(at);

    /// <summary>An <c>incident.annotated</c> delivery: the published note, with this text, on <paramref name="incidentId"/>.</summary>
    public static PagerDutyPayload Note(string incidentId, string content, DateTimeOffset at) =>
        Of("incident.annotated", "data.incident_note.json").For(incidentId).At(at).With(p => p.Data["content"] = content);

    public PagerDutyPayload For(string incidentId)
    {
        var target = Data["type"]?.GetValue<string>() == "incident" ? Data : Data["incident"]!.AsObject();
        target["id"] = incidentId;
        target["self"] = $"https://api.pagerduty.com/incidents/{incidentId}";
        target["html_url"] = $"https://acme.pagerduty.com/incidents/{incidentId}";
        return this;
    }

    public PagerDutyPayload Status(string status)
    {
        Data["status"] = status;
        return this;
    }

    public PagerDutyPayload Created(DateTimeOffset createdAt)
    {
        Data["created_at"] = Iso(createdAt);
        return this;
    }

    public PagerDutyPayload At(DateTimeOffset occurredAt)
    {
        Event["occurred_at"] = occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return this;
    }

    /// <summary>The user the event names as its agent.</summary>
    public PagerDutyPayload By(string userId, string name)
    {
        Event["agent"] = new JsonObject
        {
            ["html_url"] = $"https://acme.pagerduty.com/users/{userId}",
            ["id"] = userId,
            ["self"] = $"https://api.pagerduty.com/users/{userId}",
            ["summary"] = name,
            ["type"] = "user_reference",
        };
        return this;
    }

    public PagerDutyPayload With(Action<PagerDutyPayload> change)
    {
        change(this);
        return this;
    }

    public byte[] Body() => Encoding.UTF8.GetBytes(_root.ToJsonString());

    private static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Payloads", "PagerDuty", file);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The PagerDuty instance of a test's service, and deliveries to it the way PagerDuty sends them.</summary>
internal static class PagerDutyDelivery
{
    public const string Secret = "pd-webhook-secret-5b1e";

    /// <summary>Configures the default PagerDuty instance against the simulator (whose API lives under /pagerduty).</summary>
    public static void Configure(Dictionary<string, string?> settings) =>
        Configure(settings, "Tickets:PagerDuty", Secret, PagerDutyState.DefaultApiKey, "incidents-bot@example.com", "PINCBOT");

    public static void Configure(Dictionary<string, string?> settings, string section, string secret, string apiKey, string fromEmail, string integrationUserId)
    {
        settings[$"{section}:WebhookSecret"] = secret;
        settings[$"{section}:ApiKey"] = apiKey;
        settings[$"{section}:FromEmail"] = fromEmail;
        settings[$"{section}:IntegrationUserId"] = integrationUserId;
        settings[$"{section}:ApiUrl"] = settings["RocketChat:Url"] + "pagerduty";
    }

    /// <summary>Posts the delivery as PagerDuty does: raw JSON, X-Webhook-Id, and X-PagerDuty-Signature over the exact bytes.</summary>
    public static Task<HttpResponseMessage> DeliverAsync(this Harness h, PagerDutyPayload payload, string? webhookId = null, string? secret = Secret,
        string path = "/webhooks/pagerduty") =>
        h.DeliverPagerDutyRawAsync(payload.Body(), webhookId ?? Guid.NewGuid().ToString(), secret is null ? null : Sign(secret, payload.Body()), path);

    public static async Task<HttpResponseMessage> DeliverPagerDutyRawAsync(this Harness h, byte[] body, string? webhookId, string? signature, string path = "/webhooks/pagerduty")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (webhookId is not null)
        {
            request.Headers.Add("X-Webhook-Id", webhookId);
        }
        request.Headers.Add("X-Webhook-Subscription", "PY1OL64");
        request.Headers.UserAgent.ParseAdd("PagerDuty-Webhook/V3.0");
        if (signature is not null)
        {
            request.Headers.Add("X-PagerDuty-Signature", signature);
        }
        return await h.Client.SendAsync(request);
    }

    public static string Sign(string secret, byte[] body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
