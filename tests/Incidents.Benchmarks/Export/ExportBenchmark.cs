using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Incidents.Benchmarks.Infrastructure;
using Npgsql;

namespace Incidents.Benchmarks.Export;

/// <summary>
/// The export benchmark: PostgreSQL, migrator, simulators and service as separate processes; one incident whose
/// channel is seeded with the requested conversation and then closed; figures into docs/benchmarks.md.
/// </summary>
internal static class ExportBenchmark
{
    private const string AdminKey = "bench-admin-key-0123456789abcdef";
    private const string WebhookSecret = "bench-webhook-secret-5e1d";
    private const string BotUserId = "incidentsbot00001";
    private const string BotToken = "bot-personal-access-token";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromMinutes(45);

    public static async Task<int> RunAsync(ExportOptions options, string arguments, CancellationToken ct)
    {
        var command = $"dotnet run -c {RepoPaths.Configuration} --project tests/Incidents.Benchmarks -- {arguments}";
        var logs = Directory.CreateTempSubdirectory("incidents-bench-logs-").FullName;
        var children = new List<ChildProcess>();
        ThrowawayPostgres? postgres = null;
        try
        {
            var machine = await MachineInfo.ReadAsync(ct);
            Console.WriteLine($"Export benchmark: {options}\n  {machine}");
            postgres = await ThrowawayPostgres.StartAsync("incidents", durable: false, ct);
            Console.WriteLine($"  PostgreSQL {postgres.Version} started");
            var env = new Dictionary<string, string> { ["ConnectionStrings__Incidents"] = postgres.ConnectionString };
            var migrator = Start(children, "migrator", [RepoPaths.MigrationsDll], env, logs);
            if (await migrator.WaitForExitAsync(StartTimeout, ct) != 0)
            {
                throw new InvalidOperationException($"the migrator failed:\n{migrator.Tail()}");
            }

            var simBase = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            Start(children, "simulators", [RepoPaths.SimulatorsDll, "--urls", simBase.ToString().TrimEnd('/')], new Dictionary<string, string>(), logs);
            using var sim = new SimulatorClient(simBase);
            await Poll.UntilAsync("simulators listening", StartTimeout, TimeSpan.FromMilliseconds(200), async t => await sim.CallsAsync(t), ct);

            var serviceBase = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var service = Start(children, "service", [RepoPaths.ApiDll], ServiceEnvironment(postgres.ConnectionString, simBase, serviceBase, options.ServiceEnvironment), logs);
            using var api = new ServiceClient(serviceBase, AdminKey, WebhookSecret);
            await Poll.UntilAsync("service ready", StartTimeout, TimeSpan.FromMilliseconds(200), async t => await api.ReadyAsync(t) ? "ready" : null, ct);
            Console.WriteLine($"  simulators at {simBase}, service at {serviceBase} (pid {service.Pid})");

            var result = await MeasureAsync(options, machine, command, postgres, sim, api, service, ct);
            Console.WriteLine();
            var section = ExportReport.Section(result);
            Console.WriteLine(section);
            if (options.WriteDoc)
            {
                BenchmarksDoc.Write(RepoPaths.BenchmarksDoc, ExportReport.Start(options), ExportReport.End(options), section);
                Console.WriteLine($"Updated {RepoPaths.BenchmarksDoc}");
            }

            return result.Completed && result.MemoryHolds && result.CallsHold ? 0 : 1;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Benchmark failed: {e.Message}");
            foreach (var child in children.Where(c => c.Name == "service"))
            {
                await Console.Error.WriteLineAsync($"--- last lines of the {child.Name} log ---\n{child.Tail()}");
            }

            return 3;
        }
        finally
        {
            foreach (var child in Enumerable.Reverse(children))
            {
                await child.DisposeAsync();
            }

            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            Directory.Delete(logs, recursive: true);
        }
    }

    private static async Task<ExportResult> MeasureAsync(ExportOptions options, MachineInfo machine, string command, ThrowawayPostgres postgres,
        SimulatorClient sim, ServiceClient api, ChildProcess service, CancellationToken ct)
    {
        var hooks = new Webhooks();
        Expect(HttpStatusCode.Accepted, await api.DeliverAsync("issues", hooks.Opened(), ct), "issues.opened");
        var (incidentId, channelId, room) = await Poll.UntilAsync("channel Open", StartTimeout, TimeSpan.FromMilliseconds(200), async t =>
        {
            var list = await api.GetAsync("incidents", t);
            var item = list?.GetProperty("items").EnumerateArray().FirstOrDefault(i => i.GetProperty("ticketRef").GetString() == hooks.TicketRef);
            if (item is not { ValueKind: JsonValueKind.Object } found || found.GetProperty("channelStatus").GetString() != "Open")
            {
                return null;
            }

            var id = found.GetProperty("id").GetGuid();
            var channel = (await api.GetAsync($"incidents/{id}", t))!.Value.GetProperty("channels")[0];
            return new OpenChannel(id, channel.GetProperty("id").GetGuid(), channel.GetProperty("name").GetString()!);
        }, ct);
        Console.WriteLine($"  incident {incidentId}, channel {room} is Open; seeding…");

        var seedClock = Stopwatch.StartNew();
        var seeded = await sim.SeedAsync(new
        {
            room,
            messages = options.Messages,
            threads = options.Threads,
            repliesPerThread = options.Replies,
            files = options.Files,
            fileBytes = options.FileBytes,
            seed = 1,
            start = TimeProvider.System.GetUtcNow(),
            spacingMs = 1,
            burstEvery = options.BurstEvery,
        }, ct);
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        Console.WriteLine($"  seeded in {seedSeconds:F1} s: {seeded}");

        var before = await sim.CallsAsync(ct);
        var memoryBefore = ProcMemory.Read(service.Pid);
        var monitor = new ExportMonitor(postgres.ConnectionString, channelId, service);
        var clock = Stopwatch.StartNew();
        Expect(HttpStatusCode.Accepted, await api.DeliverAsync("issues", hooks.Closed(), ct), "issues.closed");
        await monitor.WatchUntilRemovedAsync(clock, ExportTimeout, ct);
        var exportSeconds = clock.Elapsed.TotalSeconds;
        if (options.SamplesPath is { } samplesPath)
        {
            await File.WriteAllLinesAsync(samplesPath, ["seconds,rss_mb,status,pages,messages,files",
                .. monitor.Samples.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Seconds:F2},{ProcMemory.Mb(x.RssKb):F1},{x.Status},{x.Pages},{x.Messages},{x.Files}"))], ct);
        }

        var memoryAfter = ProcMemory.Read(service.Pid);
        var after = await sim.CallsAsync(ct);

        var json = await api.TranscriptAsync(incidentId, "json", ct);
        var markdown = await api.TranscriptAsync(incidentId, "md", ct);
        var html = await api.TranscriptAsync(incidentId, "html", ct);
        var (parts, pages, captured) = await ProgressAsync(postgres.ConnectionString, channelId, ct);
        var rocketChat = SimulatorClient.Delta(after["rocketchat"], before["rocketchat"]);
        return new ExportResult
        {
            Options = options,
            Machine = machine,
            Command = command,
            Date = (await MachineInfo.OutputAsync("date", "-u", ct)).Trim(),
            PostgresVersion = postgres.Version,
            SeededMessages = seeded.GetProperty("messages").GetInt32(),
            SeededThreads = seeded.GetProperty("threads").GetInt32(),
            SeededReplies = seeded.GetProperty("replies").GetInt32(),
            SeededFiles = seeded.GetProperty("files").GetInt32(),
            SeedSeconds = seedSeconds,
            TranscriptMessages = json?.Counts.GetValueOrDefault("messages") ?? 0,
            TranscriptThreads = json?.Counts.GetValueOrDefault("threads") ?? 0,
            TranscriptFiles = json?.Counts.GetValueOrDefault("files") ?? 0,
            ExportSeconds = exportSeconds,
            Transitions = monitor.Transitions,
            PhasePeaks = [.. monitor.Samples.GroupBy(s => s.Status).Select(g => (g.Key, ProcMemory.Mb(g.Max(s => s.RssKb))))],
            RssBeforeCloseMb = ProcMemory.Mb(memoryBefore.RssKb),
            HwmBeforeCloseMb = ProcMemory.Mb(memoryBefore.HwmKb),
            PeakHwmMb = ProcMemory.Mb(memoryAfter.HwmKb),
            MaxSampledRssMb = ProcMemory.Mb(Math.Max(monitor.Samples.Max(s => s.RssKb), memoryAfter.RssKb)),
            HistoryCalls = rocketChat.GetValueOrDefault("channels.history"),
            ExportPages = pages,
            RocketChatCalls = rocketChat,
            GitHubCalls = SimulatorClient.Delta(after["github"], before["github"]),
            JsonBytes = json?.Bytes ?? 0,
            MarkdownBytes = markdown?.Bytes ?? 0,
            HtmlBytes = html?.Bytes ?? 0,
            Parts = parts,
            CapturedMessages = captured,
            Failure = monitor.Failure,
        };
    }

    private sealed record OpenChannel(Guid IncidentId, Guid ChannelId, string Room);

    private static Dictionary<string, string> ServiceEnvironment(string connectionString, Uri sim, Uri service, IReadOnlyDictionary<string, string> extra) => new(extra)
    {
        ["ASPNETCORE_URLS"] = service.ToString().TrimEnd('/'),
        ["ConnectionStrings__Incidents"] = connectionString,
        ["RocketChat__Url"] = sim.ToString(),
        ["RocketChat__UserId"] = BotUserId,
        ["RocketChat__AuthToken"] = BotToken,
        ["Tickets__GitHub__WebhookSecret"] = WebhookSecret,
        ["Tickets__GitHub__Token"] = "github-token",
        ["Tickets__GitHub__ApiUrl"] = sim.ToString(),
        ["Admin__ApiKey"] = AdminKey,
        ["Transcripts__PublicUrl"] = service.ToString(),
        ["Transcripts__SigningKey"] = "bench-signing-key-0123456789abcdef0123456789",
        ["Outbox__LeaseDuration"] = "00:30:00",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Markdown parts rendered (0 without a transcript), history pages checkpointed and messages captured.</summary>
    private static async Task<(int Parts, int Pages, int Captured)> ProgressAsync(string connectionString, Guid channelId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM transcript_parts p WHERE p.channel_id = c.id)::int, c.export_pages, c.export_messages
            FROM channels c WHERE c.id = $1
            """, connection);
        query.Parameters.Add(new NpgsqlParameter { Value = channelId });
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    private static ChildProcess Start(List<ChildProcess> children, string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> env, string logs)
    {
        var child = ChildProcess.Start(name, "dotnet", arguments, env, logs);
        children.Add(child);
        return child;
    }

    private static void Expect(HttpStatusCode expected, HttpStatusCode actual, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} answered {(int)actual}, expected {(int)expected}"));
        }
    }
}
