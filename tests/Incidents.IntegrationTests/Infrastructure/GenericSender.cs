using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// The generic ticket system in tests: a harness whose service is configured for it (callback to the simulator's
/// reference receiver), and a sender that signs exactly as docs/generic-webhook.md says.
/// </summary>
internal static class GenericSender
{
    public const string Secret = "generic-webhook-secret-5b1c";
    public const string CallbackSecret = "generic-callback-secret"; // SimulatorOptions.GenericSecret
    public const string Receiver = "transcripts";

    /// <summary>A harness whose default generic instance calls back to <c>/generic/transcripts</c> on the simulator.</summary>
    public static Task<Harness> StartAsync(PostgresServer? postgres, Action<Dictionary<string, string?>>? configure = null) =>
        Harness.StartAsync(postgres, s =>
        {
            s["Tickets:Generic:WebhookSecret"] = Secret;
            s["Tickets:Generic:CallbackUrl"] = $"{s["RocketChat:Url"]}generic/{Receiver}";
            s["Tickets:Generic:CallbackSecret"] = CallbackSecret;
            configure?.Invoke(s);
        });

    /// <summary>HMAC-SHA256 over "{timestamp}.{body}", as the document defines it (computed here independently of the service).</summary>
    public static string Sign(string secret, string timestamp, byte[] body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray()));

    /// <summary>POSTs a generic event signed at <paramref name="signedAt"/> (the harness clock by default).</summary>
    public static async Task<HttpResponseMessage> SendGenericAsync(this Harness h, byte[] body, string? delivery = null, string? secret = Secret,
        DateTimeOffset? signedAt = null, string path = "/webhooks/generic", Func<string, string>? signature = null)
    {
        var timestamp = (signedAt ?? h.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Incidents-Timestamp", timestamp);
        if (secret is not null)
        {
            var signed = Sign(secret, timestamp, body);
            request.Headers.Add("X-Incidents-Signature", signature?.Invoke(signed) ?? signed);
        }
        if (delivery != "")
        {
            request.Headers.Add("X-Incidents-Delivery", delivery ?? Guid.NewGuid().ToString());
        }
        return await h.Client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendGenericAsync(this Harness h, GenericEvent evt, string? delivery = null, string path = "/webhooks/generic", string secret = Secret) =>
        h.SendGenericAsync(evt.Bytes(), delivery, secret, path: path);
}

/// <summary>
/// A documented example (Payloads/Generic, the same files docs/generic-webhook.md shows), optionally re-pointed at
/// another ticket or time; the shape stays the documented one.
/// </summary>
internal sealed class GenericEvent
{
    private GenericEvent(string file, JsonObject root)
    {
        File = file;
        Root = root;
    }

    public string File { get; }

    public JsonObject Root { get; }

    public JsonObject Ticket => Root["ticket"]!.AsObject();

    public static byte[] Raw(string file) => System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "Generic", file));

    public static GenericEvent Load(string file) => new(file, JsonNode.Parse(Raw(file))!.AsObject());

    public GenericEvent For(string ticketId)
    {
        Ticket["id"] = ticketId;
        return this;
    }

    /// <summary>Sets <c>occurred_at</c> (and <c>updated_at</c>), keeping <c>created_at</c> before it.</summary>
    public GenericEvent At(DateTimeOffset at, DateTimeOffset? created = null)
    {
        Root["occurred_at"] = Iso(at);
        Ticket["updated_at"] = Iso(at);
        Ticket["created_at"] = Iso(created ?? at.AddMinutes(-5));
        return this;
    }

    public GenericEvent With(Action<JsonObject> change)
    {
        change(Root);
        return this;
    }

    public byte[] Bytes() => Encoding.UTF8.GetBytes(Root.ToJsonString());

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
