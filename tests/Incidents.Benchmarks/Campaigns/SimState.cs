using System.Net.Http.Json;

namespace Incidents.Benchmarks.Campaigns;

/// <summary><c>GET /_sim/state</c> and <c>POST /_sim/faults</c> of the standalone simulators.</summary>
internal sealed class SimState(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };

    public async Task<Snapshot> ReadAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<Snapshot>("_sim/state", ct) ?? throw new InvalidOperationException("GET /_sim/state answered nothing");

    public async Task FaultsAsync(object faults, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("_sim/faults", faults, ct);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Snapshot(List<Room> Rooms, List<Comment> Comments);

    internal sealed record Room(string Id, string Name, bool Deleted, bool Archived, int Messages);

    internal sealed record Comment(string Owner, string Repo, int Number, long Id, int BodyLength, string FirstLine);
}
