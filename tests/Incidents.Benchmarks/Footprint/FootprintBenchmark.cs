using System.Diagnostics;
using System.Net.Http.Headers;
using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Infrastructure;
using Incidents.Benchmarks.Lifecycle;
using Incidents.Benchmarks.Stack;
using Npgsql;

namespace Incidents.Benchmarks.Footprint;

/// <summary>Start-up time, idle working set, database size per closed incident, admin list query time against table size.</summary>
internal static class FootprintBenchmark
{
    public static readonly string[] Queries = ["incidents?page=1&pageSize=50", "incidents?page=1&pageSize=50&state=open"];

    public static async Task<int> RunAsync(FootprintOptions options, string arguments, CancellationToken ct)
    {
        var machine = await MachineInfo.ReadAsync(ct);
        Console.WriteLine($"Footprint benchmark: {options}\n  {machine}");
        await using var stack = await BenchStack.StartAsync(durable: false, simulators: true, ct);

        var starts = new List<double>();
        for (var i = 0; i < options.Starts; i++)
        {
            starts.Add((await stack.StartServiceAsync(new Dictionary<string, string>(), ct)).TotalMilliseconds);
            Console.WriteLine($"  start {i + 1}: ready after {starts[^1]:F0} ms");
        }

        // The idle period is what is measured (resident memory of a ready service left alone), not a wait for something to happen.
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), ct);
        var idle = ProcMemory.Read(stack.Service!.Pid);
        Console.WriteLine($"  idle VmRSS {ProcMemory.Mb(idle.RssKb):F0} MB");

        var empty = await SizesAsync(stack.Postgres.ConnectionString, ct);
        var lifecycle = await new LifecycleDriver(stack, new TicketPayloads(), options.Lifecycles, 3, 50, 1_000).RunAsync(ct);
        if (lifecycle.Failure is not null)
        {
            throw new InvalidOperationException($"the lifecycles did not finish: {lifecycle.Failure}");
        }

        var closed = await SizesAsync(stack.Postgres.ConnectionString, ct);
        Console.WriteLine($"  {options.Lifecycles} lifecycles in {lifecycle.Seconds:F1} s; database {closed.Database / 1e6:F1} MB");

        var list = new List<FootprintResult.ListTiming>();
        foreach (var size in options.Sizes)
        {
            var have = await IncidentRows.CountAsync(stack.Postgres.ConnectionString, ct);
            if (size > have)
            {
                await IncidentRows.AddAsync(stack.Postgres.ConnectionString, (int)(size - have), (int)have + 1_000_000, ct);
            }

            var medians = new List<double>();
            foreach (var query in Queries)
            {
                medians.Add(await TimeQueryAsync(stack.ServiceUrl, query, options.Samples, ct));
            }

            list.Add(new FootprintResult.ListTiming(await IncidentRows.CountAsync(stack.Postgres.ConnectionString, ct), medians[0], medians[1]));
            Console.WriteLine($"  {list[^1].Rows:N0} incidents: list {medians[0]:F2} ms, open {medians[1]:F2} ms");
        }

        var result = new FootprintResult
        {
            Options = options,
            Machine = machine,
            Command = ReportHeader.Command(arguments),
            Date = await ReportHeader.DateAsync(ct),
            PostgresVersion = stack.Postgres.Version,
            Settings = stack.Postgres.Settings,
            StartMs = starts,
            IdleRssMb = ProcMemory.Mb(idle.RssKb),
            Empty = empty,
            Closed = closed,
            LifecycleSeconds = lifecycle.Seconds,
            List = list,
            Plans = await PlansAsync(stack.Postgres.ConnectionString, ct),
        };
        var section = FootprintReport.Section(result);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.WriteDoc)
        {
            BenchmarksDoc.Write(RepoPaths.BenchmarksDoc, FootprintReport.Start, FootprintReport.End, section);
            Console.WriteLine($"Updated {RepoPaths.BenchmarksDoc}");
        }

        return result.Flat ? 0 : 1;
    }

    /// <summary>Median of <paramref name="samples"/> sequential calls (after two unmeasured ones), in ms.</summary>
    private static async Task<double> TimeQueryAsync(Uri service, string query, int samples, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = service };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchStack.AdminKey);
        var times = new List<double>();
        for (var i = 0; i < samples + 2; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(query, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            response.EnsureSuccessStatusCode();
            if (i >= 2)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return Percentiles.Median(times);
    }

    private static async Task<FootprintResult.Sizes> SizesAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("""
            CHECKPOINT;
            SELECT pg_database_size(current_database());
            SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC
            """, connection);
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var database = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var tables = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            tables[reader.GetString(0)] = reader.GetInt64(1);
        }

        return new FootprintResult.Sizes(database, tables);
    }

    /// <summary>EXPLAIN ANALYZE of the two statements the list endpoint runs (count, then the page), for <c>state=open</c>.</summary>
    private static async Task<string> PlansAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var plans = new List<string>();
        foreach (var sql in new[]
        {
            // The statements EF Core generates for the endpoint (copied from its command log), with the parameters filled in.
            "SELECT count(*)::int FROM (SELECT 1 FROM incidents AS i WHERE i.state = 'Open' LIMIT 10001) AS i0",
            """
            SELECT i.id, i.source, i.ticket_key, i.ticket_ref, i.title, i.url, i.state, i.created_at, i.updated_at,
                   (SELECT c.name FROM channels AS c WHERE i.id = c.incident_id ORDER BY c.period DESC LIMIT 1),
                   (SELECT c0.status FROM channels AS c0 WHERE i.id = c0.incident_id ORDER BY c0.period DESC LIMIT 1),
                   (SELECT count(*)::int FROM channels AS c1 WHERE i.id = c1.incident_id)
            FROM incidents AS i WHERE i.state = 'Open' ORDER BY i.created_at DESC, i.id DESC LIMIT 50 OFFSET 0
            """,
        })
        {
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON) " + sql, connection);
            await using var reader = await explain.ExecuteReaderAsync(ct);
            var lines = new List<string> { sql.ReplaceLineEndings(" ") };
            while (await reader.ReadAsync(ct))
            {
                lines.Add(reader.GetString(0));
            }

            plans.Add(string.Join('\n', lines));
        }

        return string.Join("\n\n", plans);
    }
}
