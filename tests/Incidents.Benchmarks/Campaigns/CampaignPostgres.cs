using System.Diagnostics;
using Incidents.Benchmarks.Infrastructure;
using Npgsql;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// A throwaway PostgreSQL cluster for campaigns (like <see cref="ThrowawayPostgres"/>, with room for several service
/// instances and the ability to stop and start it on the same port and data directory, for the outage campaign).
/// </summary>
internal sealed class CampaignPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly string? _runAs;
    private readonly int _port;
    private bool _initialised;

    private CampaignPostgres(string dir, string bin, string? runAs, int port)
    {
        _dir = dir;
        _bin = bin;
        _runAs = runAs;
        _port = port;
    }

    public string ConnectionString { get; private set; } = "";

    public string Version => Path.GetFileName(Path.GetDirectoryName(_bin)!);

    private string Data => Path.Combine(_dir, "data");

    public static async Task<CampaignPostgres> StartAsync(string database, CancellationToken ct)
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().ToList()
            : [];
        var bin = versions.LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql).");
        var dir = Directory.CreateTempSubdirectory("incidents-campaign-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var server = new CampaignPostgres(dir, bin, runAs, FreePort.Next());
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, dir], ct);
            }

            await server.ToolAsync("initdb", ["-D", server.Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"], ct);
            server._initialised = true;
            await server.StartServerAsync(ct);
            var admin = $"Host=127.0.0.1;Port={server._port};Username=postgres;Database=postgres";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync(ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync(ct);
            }

            server.ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the stopped cluster again (same port, same data).</summary>
    public Task StartServerAsync(CancellationToken ct)
    {
        var options = $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        return ToolAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir, "server.log"), "-o", options, "-w", "-t", "60", "start"], ct);
    }

    /// <summary>Stops the cluster the hard way (<c>-m immediate</c>: every connection is cut, like a crash).</summary>
    public Task StopServerAsync(CancellationToken ct) => ToolAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], ct);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_initialised)
        {
            try
            {
                await StopServerAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // already stopped
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    private Task ToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, tool), arguments, ct)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. arguments], ct);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
