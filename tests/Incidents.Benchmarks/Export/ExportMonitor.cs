using System.Diagnostics;
using Incidents.Benchmarks.Infrastructure;
using Npgsql;

namespace Incidents.Benchmarks.Export;

/// <summary>
/// Every 100 ms: the service's resident memory from /proc and the channel's status and export progress straight
/// from the database (so watching does not add work to the service), until the channel is Removed or its close step is dead.
/// </summary>
internal sealed class ExportMonitor(string connectionString, Guid channelId, ChildProcess service)
{
    public sealed record Sample(double Seconds, long RssKb, string Status, int Pages, int Messages, int Files);

    public List<Sample> Samples { get; } = [];

    public List<(string Status, double Seconds)> Transitions { get; } = [];

    /// <summary>Why the close step died (the export cannot finish), else null.</summary>
    public string? Failure { get; private set; }

    public async Task WatchUntilRemovedAsync(Stopwatch clock, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("""
            SELECT c.status, c.export_pages, c.export_messages, c.export_files,
                   (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id AND o.dead_at IS NOT NULL),
                   (SELECT o.last_error FROM outbox o WHERE o.channel_id = c.id AND o.done_at IS NULL ORDER BY o.id LIMIT 1)
            FROM channels c WHERE c.id = $1
            """, connection);
        query.Parameters.Add(new NpgsqlParameter { Value = channelId });
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var lastPrint = TimeSpan.Zero;
        string? lastError = null;
        while (true)
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {service.ExitCode} during the export:\n{service.Tail()}");
            }

            var memory = ProcMemory.Read(service.Pid);
            await using (var reader = await query.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                var sample = new Sample(clock.Elapsed.TotalSeconds, memory.RssKb, reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
                var dead = reader.GetInt64(4);
                lastError = reader.IsDBNull(5) ? lastError : reader.GetString(5);
                Samples.Add(sample);
                if (Transitions.Count == 0 || Transitions[^1].Status != sample.Status)
                {
                    Transitions.Add((sample.Status, sample.Seconds));
                    Console.WriteLine($"  {sample.Seconds,7:F1} s  status {sample.Status}");
                }

                if (sample.Status == "Removed")
                {
                    return;
                }

                if (dead > 0)
                {
                    Failure = $"the close step is dead in status {sample.Status}: {lastError}";
                    Console.WriteLine($"  {sample.Seconds,7:F1} s  {Failure}");
                    return;
                }

                if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
                {
                    lastPrint = clock.Elapsed;
                    Console.WriteLine($"  {sample.Seconds,7:F1} s  {sample.Status,-9} pages {sample.Pages,5}  messages {sample.Messages,7}  files {sample.Files,4}  RSS {ProcMemory.Mb(sample.RssKb),6:F0} MB"
                        + (lastError is null ? "" : $"  last error: {lastError}"));
                }
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the channel was not Removed within {timeout} (last error: {lastError ?? "none"})");
            }

            await timer.WaitForNextTickAsync(ct);
        }
    }
}
