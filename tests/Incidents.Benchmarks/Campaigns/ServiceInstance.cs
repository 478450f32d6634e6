using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>One service process on a fixed port; it can be killed (SIGKILL) and started again on the same port.</summary>
internal sealed class ServiceInstance(string name, int port, IReadOnlyDictionary<string, string> environment, string logs) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ChildProcess? _process;
    private int _generation;

    public string Name => name;

    public Uri BaseUrl { get; } = new($"http://127.0.0.1:{port}/");

    public int? Pid => _process is { HasExited: false } p ? p.Pid : null;

    public bool Running => _process is { HasExited: false };

    public int Kills { get; private set; }

    /// <summary>Exits the campaign did not cause (exit code and last log lines), each followed by a restart.</summary>
    public List<string> UnexpectedExits { get; } = [];

    /// <summary>When the process died on its own (or was killed by someone else), records it and starts it again.</summary>
    public async Task<bool> RestartIfDiedAsync(CancellationToken ct)
    {
        if (_process is not { HasExited: true } p)
        {
            return false;
        }

        UnexpectedExits.Add($"{name} exited by itself with code {p.ExitCode}");
        Console.WriteLine($"  !! {name} (pid {p.Pid}) exited with code {p.ExitCode} without being killed by the campaign; last log lines:\n{p.Tail(10)}");
        _process = null;
        await p.DisposeAsync();
        await StartAsync(ct);
        return true;
    }

    /// <summary>Starts the process without waiting for it to listen.</summary>
    public void Launch()
    {
        var env = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/') };
        _process = ChildProcess.Start($"{name}-{++_generation}", "dotnet", [RepoPaths.ApiDll], env, logs);
    }

    public async Task StartAsync(CancellationToken ct)
    {
        Launch();
        await WaitReadyAsync(ct);
    }

    public Task WaitReadyAsync(CancellationToken ct) =>
        Poll.UntilAsync($"{name} ready", StartTimeout, TimeSpan.FromMilliseconds(100), async t =>
        {
            if (_process is { HasExited: true } p)
            {
                throw new InvalidOperationException($"{name} exited with {p.ExitCode}: {p.Tail()}");
            }

            using var response = await _probe.GetAsync(new Uri(BaseUrl, "health/ready"), t);
            return response.IsSuccessStatusCode ? "ready" : null;
        }, ct);

    /// <summary>SIGKILL: no graceful shutdown, leases and in-flight requests are simply abandoned.</summary>
    public async Task KillAsync()
    {
        if (_process is { } p)
        {
            _process = null;
            await p.DisposeAsync();
            Kills++;
        }
    }

    public string Tail() => _process?.Tail() ?? "(not running)";

    public async ValueTask DisposeAsync()
    {
        if (_process is { } p)
        {
            await p.DisposeAsync();
        }

        _probe.Dispose();
    }
}
