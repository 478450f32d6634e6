using System.Diagnostics;
using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Infrastructure;
using Incidents.Benchmarks.Stack;
using Npgsql;

namespace Incidents.Benchmarks.Ingest;

/// <summary>
/// Signed <c>issues.opened</c> webhooks at the highest rate wrk can drive, against the floor program and then the service, on
/// one durable PostgreSQL; then the service at half its maximum rate with an open-loop generator.
/// </summary>
internal static class IngestBenchmark
{
    private const long FirstNumber = 100_000;
    private const long ConstantRateFirstNumber = 10_000_000;

    public static async Task<int> RunAsync(IngestOptions options, string arguments, CancellationToken ct)
    {
        var machine = await MachineInfo.ReadAsync(ct);
        Console.WriteLine($"Ingest benchmark: {options}\n  {machine}");
        await BuildFloorAsync(ct);
        await using var stack = await BenchStack.StartAsync(durable: true, simulators: false, ct);
        var fsync = await stack.Postgres.ShowAsync("fsync", ct);
        var syncCommit = await stack.Postgres.ShowAsync("synchronous_commit", ct);
        Console.WriteLine($"  PostgreSQL {stack.Postgres.Version}: fsync={fsync}, synchronous_commit={syncCommit}");

        var payloads = new TicketPayloads();
        var pool = await WrkLoad.PrepareAsync(stack.Logs, options, payloads, FirstNumber, ct);
        Console.WriteLine($"  {options.Pool:N0} pre-signed bodies of {pool.BodyBytes:N0} bytes written");

        var floorUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var floorProcess = stack.Start("floor", "dotnet", [FloorDll], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = floorUrl.ToString().TrimEnd('/'),
            ["ConnectionStrings__Incidents"] = stack.Postgres.ConnectionString,
            ["Secret"] = BenchStack.WebhookSecret,
        });
        using (var probe = new HttpClient { BaseAddress = floorUrl })
        {
            await Poll.UntilAsync("floor ready", BenchStack.StartTimeout, TimeSpan.FromMilliseconds(100),
                async t => (await probe.GetAsync("health/ready", t)).IsSuccessStatusCode ? "ready" : null, ct);
        }

        // One load generator is one sender address: the per-source rate limit would measure itself, so it is off here.
        await stack.StartServiceAsync(new Dictionary<string, string> { ["Outbox__Background"] = "false", ["Webhooks__RateLimitPerMinute"] = "0" }, ct);
        Console.WriteLine($"  floor at {floorUrl}, service at {stack.ServiceUrl} (Outbox__Background=false, Webhooks__RateLimitPerMinute=0)");

        var floorWarm = await pool.RunAsync(stack, floorUrl, floorProcess.Pid, options.WarmupSeconds, "floorwarm", 0, ct);
        var floor = await pool.RunAsync(stack, floorUrl, floorProcess.Pid, options.Seconds, "floor", floorWarm.NextIndex, ct);
        Console.WriteLine($"  floor: {floor.Rate:F0} req/s, p50 {floor.P50Ms:F1} ms, p99 {floor.P99Ms:F1} ms, CPU/request {floor.ProcessCpuMsPerRequest:F2} ms + PostgreSQL {floor.PostgresCpuMsPerRequest:F2} ms");
        var serviceWarm = await pool.RunAsync(stack, stack.ServiceUrl, stack.Service!.Pid, options.WarmupSeconds, "servicewarm", 0, ct);
        var batchesBefore = await BatchStats.ReadAsync(stack.ServiceUrl, ct);
        var service = await pool.RunAsync(stack, stack.ServiceUrl, stack.Service!.Pid, options.Seconds, "service", serviceWarm.NextIndex, ct);
        var batches = await BatchStats.ReadAsync(stack.ServiceUrl, ct) - batchesBefore;
        Console.WriteLine($"  service: {batches.Transactions:F0} transactions, {batches.Mean:F1} events per transaction, {batches.SingleShare:P0} with one event");
        Console.WriteLine($"  service: {service.Rate:F0} req/s, p50 {service.P50Ms:F1} ms, p99 {service.P99Ms:F1} ms, CPU/request {service.ProcessCpuMsPerRequest:F2} ms + PostgreSQL {service.PostgresCpuMsPerRequest:F2} ms");

        var half = await ConstantRateLoad.RunAsync(stack.ServiceUrl, Math.Max(1, Math.Round(service.Rate / 2)), options.Seconds, 2, payloads, ConstantRateFirstNumber, ct);
        Console.WriteLine($"  service at {half.TargetRate:F0} req/s: p50 {half.P50Ms:F1} ms, p99 {half.P99Ms:F1} ms, failures {half.Failures} {half.FailureKinds}");
        if (half.Failures > 0)
        {
            Console.WriteLine($"--- last lines of the service log ---\n{stack.Service!.Tail(60)}");
        }
        var stored = await CountsAsync(stack.Postgres.ConnectionString, ct);

        var result = new IngestResult
        {
            Options = options,
            Machine = machine,
            Command = ReportHeader.Command(arguments),
            Date = await ReportHeader.DateAsync(ct),
            PostgresVersion = stack.Postgres.Version,
            Durability = $"fsync={fsync}, synchronous_commit={syncCommit}",
            BodyBytes = pool.BodyBytes,
            Floor = floor,
            Service = service,
            Batches = batches,
            Half = half,
            Stored = stored,
        };
        var section = IngestReport.Section(result);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.WriteDoc)
        {
            BenchmarksDoc.Write(RepoPaths.BenchmarksDoc, IngestReport.Start, IngestReport.End, section);
            Console.WriteLine($"Updated {RepoPaths.BenchmarksDoc}");
        }

        return result.RatioHolds && result.HalfRateHolds ? 0 : 1;
    }

    private static string FloorDll => Path.Combine(RepoPaths.Root, "tests", "Incidents.Benchmarks.Floor", "bin", RepoPaths.Configuration, "net10.0", "Incidents.Benchmarks.Floor.dll");

    /// <summary>The floor is not referenced by this project (it runs as its own process): build it in the same configuration.</summary>
    private static async Task BuildFloorAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in new[] { "build", "-c", RepoPaths.Configuration, "--nologo", "-v", "q", "tests/Incidents.Benchmarks.Floor" })
        {
            start.ArgumentList.Add(argument);
        }

        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync(ct);
        var errors = build.StandardError.ReadToEndAsync(ct);
        await build.WaitForExitAsync(ct);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the floor failed:\n{await output}{await errors}");
        }
    }

    private static async Task<IngestResult.Rows> CountsAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM deliveries), (SELECT count(*) FROM incidents), (SELECT count(*) FROM outbox),
                   (SELECT count(*) FROM timeline), (SELECT count(*) FROM floor_deliveries)
            """, connection);
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new IngestResult.Rows(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }
}
