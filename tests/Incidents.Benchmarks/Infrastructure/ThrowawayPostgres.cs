using System.Diagnostics;
using Npgsql;

namespace Incidents.Benchmarks.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the benchmarks and campaigns (initdb + pg_ctl on a free loopback port, run as the
/// postgres user when root), either durable (fsync, synchronous_commit and full_page_writes on, the server's defaults:
/// the ingest benchmark measures what a real deployment pays per commit) or fast (all three off). It can be stopped
/// and started again mid-run (the outage campaign). Disposing stops it and deletes its directory.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly string? _runAs;
    private bool _started;
    private string _options = "";

    private ThrowawayPostgres(string dir, string bin, string? runAs, bool durable)
    {
        _dir = dir;
        _bin = bin;
        _runAs = runAs;
        Durable = durable;
    }

    public string ConnectionString { get; private set; } = "";

    public string AdminConnectionString { get; private set; } = "";

    public bool Durable { get; }

    public string Version => Path.GetFileName(Path.GetDirectoryName(_bin)!);

    public string Settings => Durable
        ? "fsync, synchronous_commit and full_page_writes on (the defaults)"
        : "fsync, synchronous_commit and full_page_writes off";

    public static async Task<ThrowawayPostgres> StartAsync(string database, bool durable, CancellationToken ct)
    {
        var bin = FindBinDir();
        var dir = Directory.CreateTempSubdirectory("incidents-bench-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var server = new ThrowawayPostgres(dir, bin, runAs, durable);
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, dir], ct);
            }

            var data = Path.Combine(dir, "data");
            await server.RunToolAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"], ct);
            var port = FreePort.Next();
            var durability = durable ? "-c fsync=on -c synchronous_commit=on -c full_page_writes=on" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            server._options = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 {durability} -c max_connections=400 -c shared_buffers=256MB";
            server._started = true;
            await server.StartServerAsync(ct);
            server.AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
            await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
            {
                await connection.OpenAsync(ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync(ct);
            }

            server.ConnectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = database }.ConnectionString;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's own view of a setting (to prove in the report what was measured).</summary>
    public async Task<string> ShowAsync(string setting, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var show = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await show.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Starts the (stopped) cluster: same port, same data.</summary>
    public Task StartServerAsync(CancellationToken ct) =>
        RunToolAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-o", _options, "-w", "-t", "60", "start"], ct);

    /// <summary>Stops the cluster the hard way (<c>-m immediate</c>: every connection is cut, like a crash).</summary>
    public Task StopServerAsync(CancellationToken ct) => RunToolAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], ct);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            try
            {
                await StopServerAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (the outage campaign stops it on purpose).
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static string FindBinDir()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().ToList()
            : [];
        return versions.LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql).");
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct) =>
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
