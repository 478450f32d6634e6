using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>PostgreSQL, the migrator, the standalone simulators and N service instances, each a separate process.</summary>
internal sealed class CampaignStack : IAsyncDisposable
{
    public const string AdminKey = "campaign-admin-key-0123456789abcdef";
    public const string WebhookSecret = "campaign-webhook-secret-7c2a";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ChildProcess> _children = [];

    private CampaignStack(string logs) => Logs = logs;

    public string Logs { get; }

    public ThrowawayPostgres Postgres { get; private set; } = null!;

    public SimulatorClient Sim { get; private set; } = null!;

    public SimState SimState { get; private set; } = null!;

    public List<ServiceInstance> Instances { get; } = [];

    public Database Db { get; private set; } = null!;

    /// <summary>Every exit of a service instance the campaign did not cause.</summary>
    public IEnumerable<string> UnexpectedExits => Instances.SelectMany(i => i.UnexpectedExits);

    /// <summary>Restarts every instance that exited on its own (the campaign's watchdog; each exit is reported).</summary>
    public async Task WatchAsync(CancellationToken ct)
    {
        foreach (var instance in Instances)
        {
            await instance.RestartIfDiedAsync(ct);
        }
    }

    /// <param name="durable">
    /// PostgreSQL with fsync and synchronous_commit on. Needed wherever PostgreSQL itself is crashed: without them a crash
    /// loses commits the service was told had succeeded, which no client of a database can defend against.
    /// </param>
    public static async Task<CampaignStack> StartAsync(int instances, IReadOnlyDictionary<string, string> extraEnv, CancellationToken ct, bool durable = false)
    {
        var stack = new CampaignStack(Directory.CreateTempSubdirectory("incidents-campaign-logs-").FullName);
        try
        {
            stack.Postgres = await ThrowawayPostgres.StartAsync("incidents", durable, ct);
            stack.Db = new Database(stack.Postgres.ConnectionString);
            var env = new Dictionary<string, string> { ["ConnectionStrings__Incidents"] = stack.Postgres.ConnectionString };
            var migrator = ChildProcess.Start("migrator", "dotnet", [RepoPaths.MigrationsDll], env, stack.Logs);
            stack._children.Add(migrator);
            if (await migrator.WaitForExitAsync(StartTimeout, ct) != 0)
            {
                throw new InvalidOperationException($"the migrator failed:\n{migrator.Tail()}");
            }

            var simBase = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            stack._children.Add(ChildProcess.Start("simulators", "dotnet", [RepoPaths.SimulatorsDll, "--urls", simBase.ToString().TrimEnd('/')], new Dictionary<string, string>(), stack.Logs));
            stack.Sim = new SimulatorClient(simBase);
            stack.SimState = new SimState(simBase);
            await Poll.UntilAsync("simulators listening", StartTimeout, TimeSpan.FromMilliseconds(200), async t => await stack.Sim.CallsAsync(t), ct);

            var serviceEnv = ServiceEnvironment(stack.Postgres.ConnectionString, simBase, extraEnv);
            for (var i = 0; i < instances; i++)
            {
                stack.Instances.Add(new ServiceInstance($"service-{(char)('a' + i)}", FreePort.Next(), serviceEnv, stack.Logs));
            }

            foreach (var instance in stack.Instances)
            {
                instance.Launch();
            }

            foreach (var instance in stack.Instances)
            {
                await instance.WaitReadyAsync(ct);
            }

            Console.WriteLine($"  PostgreSQL {stack.Postgres.Version}, simulators at {simBase}, {instances} service instance(s): {string.Join(", ", stack.Instances.Select(i => i.BaseUrl))}; logs in {stack.Logs}");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        foreach (var child in Enumerable.Reverse(_children))
        {
            await child.DisposeAsync();
        }

        Sim?.Dispose();
        SimState?.Dispose();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable("INCIDENTS_CAMPAIGN_KEEP_LOGS") != "1")
        {
            Directory.Delete(Logs, recursive: true);
        }
    }

    private static Dictionary<string, string> ServiceEnvironment(string connectionString, Uri sim, IReadOnlyDictionary<string, string> extra)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Incidents"] = connectionString,
            ["RocketChat__Url"] = sim.ToString(),
            ["RocketChat__UserId"] = "incidentsbot00001",
            ["RocketChat__AuthToken"] = "bot-personal-access-token",
            ["RocketChat__Timeout"] = "00:00:05",
            ["Tickets__GitHub__WebhookSecret"] = WebhookSecret,
            ["Tickets__GitHub__Token"] = "github-token",
            ["Tickets__GitHub__ApiUrl"] = sim.ToString(),
            ["Tickets__GitHub__Timeout"] = "00:00:05",
            ["Admin__ApiKey"] = AdminKey,
            ["Transcripts__PublicUrl"] = "http://127.0.0.1:1/",
            ["Transcripts__SigningKey"] = "campaign-signing-key-0123456789abcdef0123",
            ["Outbox__BackoffMax"] = "00:00:05",
            ["Outbox__BackoffBase"] = "00:00:00.500",
            ["Outbox__ReconcileInterval"] = "00:00:15",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }
}
