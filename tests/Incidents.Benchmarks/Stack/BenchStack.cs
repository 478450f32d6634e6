using System.Diagnostics;
using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Stack;

/// <summary>
/// PostgreSQL, the migrator, optionally the standalone simulators, and the service (restartable), each a separate process on
/// 127.0.0.1 with its log in a temporary folder; disposing stops everything in reverse order.
/// </summary>
internal sealed class BenchStack : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";
    public const string WebhookSecret = "bench-webhook-secret-5e1d";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ChildProcess> _children = [];

    private BenchStack(ThrowawayPostgres postgres, string logs)
    {
        Postgres = postgres;
        Logs = logs;
    }

    public ThrowawayPostgres Postgres { get; }

    public string Logs { get; }

    public SimulatorClient? Simulators { get; private set; }

    /// <summary>The simulators' process, when this stack started them.</summary>
    public ChildProcess? SimulatorsProcess { get; private set; }

    public ChildProcess? Service { get; private set; }

    public ServiceClient? Api { get; private set; }

    public Uri ServiceUrl { get; private set; } = new("http://127.0.0.1/");

    public static async Task<BenchStack> StartAsync(bool durable, bool simulators, CancellationToken ct)
    {
        var logs = Directory.CreateTempSubdirectory("incidents-bench-logs-").FullName;
        var postgres = await ThrowawayPostgres.StartAsync("incidents", durable, ct);
        var stack = new BenchStack(postgres, logs);
        try
        {
            var migrator = stack.Start("migrator", "dotnet", [RepoPaths.MigrationsDll], new Dictionary<string, string> { ["ConnectionStrings__Incidents"] = postgres.ConnectionString });
            if (await migrator.WaitForExitAsync(StartTimeout, ct) != 0)
            {
                throw new InvalidOperationException($"the migrator failed:\n{migrator.Tail()}");
            }

            if (simulators)
            {
                var simBase = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
                stack.SimulatorsProcess = stack.Start("simulators", "dotnet", [RepoPaths.SimulatorsDll, "--urls", simBase.ToString().TrimEnd('/')], new Dictionary<string, string>());
                stack.Simulators = new SimulatorClient(simBase);
                await Poll.UntilAsync("simulators listening", StartTimeout, TimeSpan.FromMilliseconds(100), async t =>
                {
                    try
                    {
                        return await stack.Simulators.CallsAsync(t);
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        return null; // something answered before the simulators did
                    }
                }, ct);
            }

            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the service (stopping a running one first) and returns the time from process start to the first 200 of /health/ready.</summary>
    public async Task<TimeSpan> StartServiceAsync(IReadOnlyDictionary<string, string> extra, CancellationToken ct)
    {
        await StopServiceAsync();
        ServiceUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var sim = Simulators?.BaseUrl ?? new Uri("http://127.0.0.1:9/");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ServiceUrl.ToString().TrimEnd('/'),
            ["ConnectionStrings__Incidents"] = Postgres.ConnectionString,
            ["RocketChat__Url"] = sim.ToString(),
            ["RocketChat__UserId"] = "incidentsbot00001",
            ["RocketChat__AuthToken"] = "bot-personal-access-token",
            ["Tickets__GitHub__WebhookSecret"] = WebhookSecret,
            ["Tickets__GitHub__Token"] = "github-token",
            ["Tickets__GitHub__ApiUrl"] = sim.ToString(),
            ["Admin__ApiKey"] = AdminKey,
            ["Transcripts__PublicUrl"] = ServiceUrl.ToString(),
            ["Transcripts__SigningKey"] = "bench-signing-key-0123456789abcdef0123456789",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        Api = new ServiceClient(ServiceUrl, AdminKey, WebhookSecret);
        var clock = Stopwatch.StartNew();
        Service = Start("service", "dotnet", [RepoPaths.ApiDll], env);
        var api = Api;
        await Poll.UntilAsync("service ready", StartTimeout, TimeSpan.FromMilliseconds(5), async t => await api.ReadyAsync(t) ? "ready" : null, ct);
        return clock.Elapsed;
    }

    public async Task StopServiceAsync()
    {
        if (Service is { } service)
        {
            _children.Remove(service);
            await service.DisposeAsync();
            Service = null;
        }

        Api?.Dispose();
        Api = null;
    }

    /// <summary>Starts another child process of this stack (stopped with it).</summary>
    public ChildProcess Start(string name, string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> env)
    {
        var child = ChildProcess.Start(name, file, arguments, env, Logs);
        _children.Add(child);
        return child;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in Enumerable.Reverse(_children))
        {
            await child.DisposeAsync();
        }

        Api?.Dispose();
        Simulators?.Dispose();
        await Postgres.DisposeAsync();
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_LOGS") == "1")
        {
            Console.WriteLine($"  logs kept in {Logs}");
        }
        else
        {
            Directory.Delete(Logs, recursive: true);
        }
    }
}
