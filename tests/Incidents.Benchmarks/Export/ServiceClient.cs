using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Incidents.Benchmarks.Export;

/// <summary>The service over HTTP: signed GitHub webhooks and the admin API.</summary>
internal sealed class ServiceClient(Uri baseUrl, string adminKey, string webhookSecret) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(10) };

    public async Task<HttpStatusCode> DeliverAsync(string eventName, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(webhookSecret), bytes)));
        using var response = await _http.SendAsync(request, ct);
        return response.StatusCode;
    }

    public async Task<bool> ReadyAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync("health/ready", ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>An admin GET; null on 404.</summary>
    public async Task<JsonElement?> GetAsync(string path, CancellationToken ct)
    {
        using var request = Admin(path);
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    /// <summary>Streams <c>GET /incidents/{id}/transcript?format=…</c>: its size, and for JSON the <c>counts</c> object; null when there is none.</summary>
    public async Task<TranscriptStats?> TranscriptAsync(Guid incident, string format, CancellationToken ct)
    {
        using var request = Admin($"incidents/{incident}/transcript?format={format}");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return await TranscriptStats.ReadAsync(body, ct);
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Admin(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return request;
    }
}
