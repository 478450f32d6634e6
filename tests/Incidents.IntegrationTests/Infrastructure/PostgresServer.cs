using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Incidents.Migrations;
using Npgsql;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the test run: the server named by <c>INCIDENTS_TEST_DB</c> (a connection string
/// whose user may create databases), or else a throwaway cluster started here (initdb + pg_ctl on a free
/// loopback port, fsync off) and removed afterwards. The schema is migrated once into a template database;
/// every test gets its own copy of it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Template = "incidents_template";
    private string? _dataDir;
    private string? _runAs;
    private string? _binDir;
    private int _databases;

    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("INCIDENTS_TEST_DB");
        AdminConnectionString = string.IsNullOrWhiteSpace(external) ? await StartClusterAsync() : external;
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await Execute(admin, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
            await Execute(admin, $"CREATE DATABASE {Template}");
        }
        await Migrator.MigrateAsync(ConnectionStringFor(Template));
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh, migrated database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"incidents_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await Execute(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await Execute(admin, $"CREATE DATABASE {name} TEMPLATE {Template}");
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, MaxPoolSize = 40 }.ConnectionString;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDir is null)
        {
            return;
        }
        await RunAsync("pg_ctl", $"-D \"{Path.Combine(_dataDir, "data")}\" -m immediate -w stop");
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<string> StartClusterAsync()
    {
        _binDir = FindBinDir();
        _dataDir = Directory.CreateTempSubdirectory("incidents-pg-").FullName;
        var data = Path.Combine(_dataDir, "data");
        if (Environment.UserName == "root")
        {
            // initdb refuses to run as root: run the cluster as the postgres user.
            _runAs = "postgres";
            await RunAsync("chown", $"-R postgres \"{_dataDir}\"", direct: true);
        }
        await RunAsync("initdb", $"-D \"{data}\" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync");
        var port = FreePort();
        var options = $"-p {port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync("pg_ctl", $"-D \"{data}\" -l \"{Path.Combine(_dataDir, "server.log")}\" -o \"{options}\" -w -t 60 start");
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true";
    }

    private static string FindBinDir()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().ToList()
            : [];
        return versions.LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install them (apt-get install -y postgresql) or set INCIDENTS_TEST_DB.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string tool, string arguments, bool direct = false)
    {
        var file = direct ? tool : Path.Combine(_binDir!, tool);
        var start = _runAs is null || direct
            ? new ProcessStartInfo(file, arguments)
            : new ProcessStartInfo("runuser", $"-u {_runAs} -- {file} {arguments}");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
