using System.Net.Http.Json;
using System.Text.Json;

namespace Incidents.Benchmarks.Export;

/// <summary>The standalone simulator's admin endpoints.</summary>
internal sealed class SimulatorClient(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(10) };

    public Uri BaseUrl => baseUrl;

    public async Task<JsonElement> SeedAsync(object request, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("_sim/seed", request, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"seeding answered {(int)response.StatusCode}: {body}");
    }

    /// <summary><c>GET /_sim/calls</c>: per system ("rocketchat", "github"), calls per endpoint.</summary>
    public async Task<Dictionary<string, Dictionary<string, int>>> CallsAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<Dictionary<string, Dictionary<string, int>>>("_sim/calls", ct)
            ?? throw new InvalidOperationException("GET /_sim/calls answered nothing");

    public static Dictionary<string, int> Delta(Dictionary<string, int> after, Dictionary<string, int> before) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);

    public void Dispose() => _http.Dispose();
}
