using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Infrastructure;
using Incidents.Benchmarks.Stack;
using Npgsql;

namespace Incidents.Benchmarks.Lifecycle;

/// <summary>
/// Drives N full ticket lifecycles through the running service: every ticket is opened and commented on (webhooks sent 8 at a
/// time), and once its channel exists in the chat and none of its work is pending (read from the database; the simulator's seeding
/// must not race the service's own posts into the room) the channel is seeded with M messages through <c>POST /_sim/seed</c> and the
/// ticket is closed. Done when every channel is Removed.
/// </summary>
internal sealed class LifecycleDriver(BenchStack stack, TicketPayloads payloads, int tickets, int comments, int messages, long firstNumber)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, long> _commented = new(StringComparer.Ordinal);
    private readonly HashSet<string> _closing = new(StringComparer.Ordinal);

    public sealed record Outcome(DateTimeOffset Started, double Seconds, IReadOnlyList<double> CompletedAt, string? Failure);

    public async Task<Outcome> RunAsync(CancellationToken ct)
    {
        var api = stack.Api ?? throw new InvalidOperationException("the service is not running");
        var sim = stack.Simulators ?? throw new InvalidOperationException("the simulators are not running");
        var started = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(Timeout);
        var sender = Parallel.ForEachAsync(Enumerable.Range(0, tickets), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token }, async (i, t) =>
        {
            var number = firstNumber + i;
            await SendAsync(api, payloads.Opened(number), "issues", t);
            for (var k = 0; k < comments; k++)
            {
                await SendAsync(api, payloads.Comment(number, k), "issue_comment", t);
            }

            _commented[payloads.TicketKey(number)] = number;
        });

        await using var connection = new NpgsqlConnection(stack.Postgres.ConnectionString);
        await connection.OpenAsync(stop.Token);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            var (open, removed, dead) = await ProgressAsync(connection, started, stop.Token);
            if (dead is not null)
            {
                return new Outcome(started, clock.Elapsed.TotalSeconds, [], dead);
            }

            if (removed == tickets)
            {
                await sender;
                var completed = await CompletionsAsync(connection, started, stop.Token);
                return new Outcome(started, completed[^1], completed, null);
            }

            var ready = open.Where(o => _commented.ContainsKey(o.TicketKey) && _closing.Add(o.TicketKey)).ToList();
            await Parallel.ForEachAsync(ready, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token }, async (o, t) =>
            {
                if (messages > 0)
                {
                    await sim.SeedAsync(new { room = o.Channel, messages, seed = 1, spacingMs = 1 }, t);
                }

                await SendAsync(api, payloads.Closed(_commented[o.TicketKey]), "issues", t);
            });
            if (sender.IsFaulted)
            {
                await sender;
            }

            await timer.WaitForNextTickAsync(stop.Token);
        }
    }

    private static async Task SendAsync(ServiceClient api, string body, string eventName, CancellationToken ct)
    {
        var status = await api.DeliverAsync(eventName, body, ct);
        if (status != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"{eventName} webhook answered {(int)status}");
        }
    }

    private sealed record OpenChannel(string TicketKey, string Channel);

    /// <summary>
    /// Channels that exist in the chat and are not closing yet; how many were Removed since <paramref name="since"/> (a warm-up
    /// round's channels were all removed before); a dead row's error, if any.
    /// </summary>
    private static async Task<(List<OpenChannel> Open, int Removed, string? Dead)> ProgressAsync(NpgsqlConnection connection, DateTimeOffset since, CancellationToken ct)
    {
        await using var query = new NpgsqlCommand("""
            SELECT i.ticket_key, c.name, c.status FROM channels c JOIN incidents i ON i.id = c.incident_id
            WHERE c.status <> 'Pending' AND (c.removed_at IS NULL OR c.removed_at >= @since)
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = i.id AND o.done_at IS NULL);
            SELECT kind || ': ' || coalesce(last_error, '') FROM outbox WHERE dead_at IS NOT NULL LIMIT 1
            """, connection) { Parameters = { new("since", since) } };
        await using var reader = await query.ExecuteReaderAsync(ct);
        var open = new List<OpenChannel>();
        var removed = 0;
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetString(2) == "Removed")
            {
                removed++;
            }
            else
            {
                open.Add(new OpenChannel(reader.GetString(0), reader.GetString(1)));
            }
        }

        await reader.NextResultAsync(ct);
        var dead = await reader.ReadAsync(ct) ? reader.GetString(0) : null;
        return (open, removed, dead);
    }

    /// <summary>Seconds after the start at which each channel was Removed, in order.</summary>
    private static async Task<List<double>> CompletionsAsync(NpgsqlConnection connection, DateTimeOffset started, CancellationToken ct)
    {
        await using var query = new NpgsqlCommand("SELECT removed_at FROM channels WHERE removed_at >= $1 ORDER BY removed_at", connection)
        {
            Parameters = { new() { Value = started } },
        };
        await using var reader = await query.ExecuteReaderAsync(ct);
        var times = new List<double>();
        while (await reader.ReadAsync(ct))
        {
            times.Add((reader.GetFieldValue<DateTimeOffset>(0) - started).TotalSeconds);
        }

        return times;
    }

    /// <summary>Sets the simulators' added latency per call on both systems.</summary>
    public static async Task SetLatencyAsync(Uri simulators, int latencyMs, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = simulators };
        var body = System.Text.Json.JsonSerializer.Serialize(new { rocketchat = new { latencyMs }, github = new { latencyMs } });
        using var response = await http.PostAsync("_sim/faults", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        response.EnsureSuccessStatusCode();
    }
}
