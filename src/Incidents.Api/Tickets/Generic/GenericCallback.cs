using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Incidents.Lifecycle;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.Generic;

/// <summary>
/// The receiver's callback URL (docs/generic-webhook.md, "Write-back"): POST stores a transcript part or file, GET
/// with a query lists or reads them back. Every request is signed like a webhook (timestamp + HMAC of the body, or
/// of the query string for a GET), and every request goes to exactly the configured URL.
/// </summary>
internal sealed class GenericCallback
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TicketApi _api;
    private readonly string _resource;
    private readonly string _secret;
    private readonly TimeProvider _time;

    public GenericCallback(HttpClient http, TicketInstance instance, GenericOptions options, TimeProvider time, Telemetry telemetry)
    {
        var url = options.CallbackUrl ?? throw new InvalidOperationException($"{instance.Section}:CallbackUrl is not set");
        // TicketApi is bound to a base ending in '/': the URL's folder, with the URL's last segment as the one resource called.
        var folder = new Uri(url, ".");
        _resource = url.AbsoluteUri[folder.AbsoluteUri.Length..];
        _secret = options.EffectiveCallbackSecret;
        _time = time;
        _api = new TicketApi(http, instance, folder, options.Timeout, telemetry, time, rest => rest.AddDefaultHeader("User-Agent", "Incidents-Callback/1"));
    }

    /// <summary>POSTs a signed JSON body written by <paramref name="write"/>; returns the receiver's <c>id</c> and <c>url</c>.</summary>
    public async Task<(string Id, string Url)> PostAsync(Action<Utf8JsonWriter> write, string idempotencyKey, CancellationToken ct)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            write(json);
        }
        var bytes = buffer.WrittenSpan.ToArray();
        var request = new RestRequest(_resource, Method.Post).AddBody(bytes, ContentType.Json);
        request.AddHeader(IdempotencyHeader, idempotencyKey);
        Sign(request, bytes);
        var response = await _api.ExecuteAsync(request, ct);
        using var doc = TicketApi.Json(response);
        var root = doc.RootElement;
        var id = root.ValueKind == JsonValueKind.Object ? Id(root) : null;
        return id is null
            ? throw new ExternalCallException("generic", "the receiver's answer to POST has no \"id\"", (int)response.StatusCode, permanent: true)
            : (id, Text(root, "url") ?? "");
    }

    /// <summary>A signed GET with the query <paramref name="query"/> (names and values percent-encoded here, in this order).</summary>
    public Task<RestResponse> GetAsync(IEnumerable<(string Name, string Value)> query, CancellationToken ct)
    {
        var text = string.Join('&', query.Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value)}"));
        var request = new RestRequest($"{_resource}?{text}", Method.Get);
        Sign(request, Encoding.ASCII.GetBytes(text));
        return _api.ExecuteAsync(request, ct);
    }

    public static string? Id(JsonElement e) =>
        e.TryGetProperty("id", out var id) ? id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        } : null;

    public static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private void Sign(RestRequest request, ReadOnlySpan<byte> payload)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        request.AddHeader(GenericSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.AddHeader(GenericSignature.SignatureHeader, GenericSignature.Sign(_secret, timestamp, payload));
    }
}
