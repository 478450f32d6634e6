using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Infrastructure;
using Incidents.Benchmarks.Stack;
using Npgsql;

namespace Incidents.Benchmarks.Lifecycle;

/// <summary>
/// N tickets through their whole life against the standalone simulators with added latency per call, once per outbox
/// concurrency, each on a fresh stack; figures into docs/benchmarks.md.
/// </summary>
internal static class LifecycleBenchmark
{
    public static async Task<int> RunAsync(LifecycleOptions options, string arguments, CancellationToken ct)
    {
        var machine = await MachineInfo.ReadAsync(ct);
        Console.WriteLine($"Lifecycle benchmark: {options}\n  {machine}");
        var runs = new List<LifecycleRun>();
        foreach (var concurrency in options.Concurrencies)
        {
            runs.Add(await RunOnceAsync(options, concurrency, ct));
            var r = runs[^1];
            Console.WriteLine($"  concurrency {concurrency}: {r.PerMinute:F0} incidents/min (bound {r.Bound:F0}), {r.Outcome.Seconds:F1} s, {r.CallsPerIncident:F2} calls per incident {r.Outcome.Failure}");
        }

        var section = LifecycleReport.Section(options, machine, await ReportHeader.DateAsync(ct), ReportHeader.Command(arguments), runs);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.WriteDoc)
        {
            BenchmarksDoc.Write(RepoPaths.BenchmarksDoc, LifecycleReport.Start, LifecycleReport.End, section);
            Console.WriteLine($"Updated {RepoPaths.BenchmarksDoc}");
        }

        return runs.All(r => r.Holds) ? 0 : 1;
    }

    private static async Task<LifecycleRun> RunOnceAsync(LifecycleOptions options, int concurrency, CancellationToken ct)
    {
        await using var stack = await BenchStack.StartAsync(durable: false, simulators: true, ct);
        await LifecycleDriver.SetLatencyAsync(stack.Simulators!.BaseUrl, options.LatencyMs, ct);
        await stack.StartServiceAsync(new Dictionary<string, string>
        {
            ["Outbox__MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // One driver sends every ticket's webhooks (10,000 with the warm-up): the per-sender limit would answer 429.
            ["Webhooks__RateLimitPerMinute"] = "0",
        }, ct);
        var payloads = new TicketPayloads();
        if (options.Warmup > 0)
        {
            // A long-running service has compiled its hot paths long ago: the same lifecycle, not counted, lets the JIT reach its
            // optimised tier first (measured: on a cold process ~25 % of the service's CPU went to the tiered compiler).
            var warm = await new LifecycleDriver(stack, payloads, options.Warmup, options.Comments, options.Messages, 1_000_000).RunAsync(ct);
            if (warm.Failure is not null)
            {
                throw new InvalidOperationException($"the warm-up round failed: {warm.Failure}");
            }
        }

        var before = await stack.Simulators.CallsAsync(ct);
        var driver = new LifecycleDriver(stack, payloads, options.Tickets, options.Comments, options.Messages, 1_000);
        var cpu = CpuMeter.Start(stack.Service!.Pid);
        var simulatorsCpu = CpuMeter.Seconds(stack.SimulatorsProcess!.Pid);
        var driverCpu = CpuMeter.Seconds(Environment.ProcessId);
        var outcome = await driver.RunAsync(ct);
        var (serviceCpu, postgresCpu) = cpu.Stop();
        simulatorsCpu = CpuMeter.Seconds(stack.SimulatorsProcess.Pid) - simulatorsCpu;
        driverCpu = CpuMeter.Seconds(Environment.ProcessId) - driverCpu;
        var after = await stack.Simulators.CallsAsync(ct);
        return new LifecycleRun
        {
            Concurrency = concurrency,
            Options = options,
            Outcome = outcome,
            RocketChat = SimulatorClient.Delta(after["rocketchat"], before["rocketchat"]),
            GitHub = SimulatorClient.Delta(after["github"], before["github"]),
            Steps = await StepsAsync(stack.Postgres.ConnectionString, outcome.Started, ct),
            Settings = stack.Postgres.Settings,
            Cpu = new LifecycleRun.CpuSeconds(serviceCpu, postgresCpu, simulatorsCpu, driverCpu),
            Processors = Environment.ProcessorCount,
        };
    }

    /// <summary>Per outbox kind: rows, attempts, and the mean and total time of the successful attempts (timeline <c>action</c> entries).</summary>
    private static async Task<List<LifecycleRun.Step>> StepsAsync(string connectionString, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("""
            SELECT o.kind, count(*), sum(o.attempts), coalesce(t.mean, 0), coalesce(t.total, 0)
            FROM outbox o
            LEFT JOIN (SELECT split_part(summary, ' ', 1) AS kind, avg(duration_ms) AS mean, sum(duration_ms) AS total
                       FROM timeline WHERE kind = 'action' AND at >= $1 GROUP BY 1) t ON t.kind = o.kind
            WHERE o.created_at >= $1
            GROUP BY o.kind, t.mean, t.total ORDER BY o.kind
            """, connection) { Parameters = { new() { Value = since } } };
        await using var reader = await query.ExecuteReaderAsync(ct);
        var steps = new List<LifecycleRun.Step>();
        while (await reader.ReadAsync(ct))
        {
            steps.Add(new LifecycleRun.Step(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4)));
        }

        return steps;
    }
}
