using System.Diagnostics;
using Npgsql;

namespace Incidents.Benchmarks.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster (initdb + pg_ctl under /usr/lib/postgresql/*/bin, as the postgres user when run
/// as root) on a free loopback port, with fsync off: the export benchmark measures the service, not the disk.
/// Disposing stops it and deletes its directory.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly string? _runAs;
    private bool _started;

    private ThrowawayPostgres(string dir, string bin, string? runAs)
    {
        _dir = dir;
        _bin = bin;
        _runAs = runAs;
    }

    public string ConnectionString { get; private set; } = "";

    public string Version => Path.GetFileName(Path.GetDirectoryName(_bin)!);

    public static async Task<ThrowawayPostgres> StartAsync(string database, CancellationToken ct)
    {
        var bin = FindBinDir();
        var dir = Directory.CreateTempSubdirectory("incidents-bench-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var server = new ThrowawayPostgres(dir, bin, runAs);
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, dir], ct);
            }

            var data = Path.Combine(dir, "data");
            await server.RunToolAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"], ct);
            var port = FreePort.Next();
            var options = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100";
            server._started = true;
            await server.RunToolAsync("pg_ctl", ["-D", data, "-l", Path.Combine(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"], ct);
            var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
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

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            await RunToolAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], CancellationToken.None);
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
