using System.Diagnostics.Metrics;
using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Web;

/// <summary>
/// Gauges of what the database holds — incidents by state, outbox rows due, in flight and dead — read at
/// scrape time and cached briefly so frequent scrapes do not load the database.
/// </summary>
internal sealed class StateGauges
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Snapshot _snapshot = new([], 0, 0, 0, DateTimeOffset.MinValue);

    private sealed record Snapshot(Dictionary<string, int> Incidents, int Due, int InFlight, int Dead, DateTimeOffset At);

    public StateGauges(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time)
    {
        _scopes = scopes;
        _time = time;
        var meter = meters.Create(Telemetry.Name);
        meter.CreateObservableGauge<int>("incidents.incidents", () => Current().Incidents.Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("state", p.Key))),
            "{incident}", "Incidents by ticket state");
        meter.CreateObservableGauge<int>("incidents.outbox.rows", () =>
        {
            var s = Current();
            return (IEnumerable<Measurement<int>>)[new Measurement<int>(s.Due, new KeyValuePair<string, object?>("state", "due")),
                new Measurement<int>(s.InFlight, new KeyValuePair<string, object?>("state", "in_flight")),
                new Measurement<int>(s.Dead, new KeyValuePair<string, object?>("state", "dead"))];
        }, "{row}", "Unfinished outbox rows: due now, leased by an instance, dead");
    }

    private Snapshot Current()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _snapshot.At < MaxAge)
            {
                return _snapshot;
            }
            try
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
                var incidents = db.Incidents.GroupBy(i => i.State).Select(g => new { g.Key, Count = g.Count() }).ToList()
                    .ToDictionary(x => x.Key.ToString().ToLowerInvariant(), x => x.Count);
                var open = db.Outbox.Where(o => o.DoneAt == null);
                _snapshot = new Snapshot(incidents,
                    open.Count(o => o.DeadAt == null && o.DueAt <= now && (o.LeaseUntil == null || o.LeaseUntil < now)),
                    open.Count(o => o.DeadAt == null && o.LeaseUntil >= now),
                    open.Count(o => o.DeadAt != null),
                    now);
            }
            catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
            {
                // The database is unreachable: keep serving the last known figures; /health/ready reports the outage.
            }
            return _snapshot;
        }
    }
}
