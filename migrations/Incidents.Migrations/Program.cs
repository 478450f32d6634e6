using Microsoft.Extensions.Configuration;

namespace Incidents.Migrations;

/// <summary><c>dotnet run --project migrations/Incidents.Migrations</c>: apply all migrations and exit.</summary>
internal static class MigratorCommand
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

        // The same rule as the service: Database:Provider, else PostgreSQL when a connection string is set, else SQLite.
        var provider = configuration["Database:Provider"] ?? "";
        var connectionString = configuration.GetConnectionString("Incidents");
        var sqlite = provider == "Sqlite" || (provider.Length == 0 && string.IsNullOrWhiteSpace(connectionString));
        if (!sqlite && string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("Missing configuration key 'ConnectionStrings:Incidents' (environment variable ConnectionStrings__Incidents).");
            return 2;
        }
        try
        {
            if (sqlite)
            {
                await Migrator.MigrateSqliteAsync(string.IsNullOrWhiteSpace(connectionString) ? global::Incidents.Data.DatabaseSetup.DefaultSqlite : connectionString);
            }
            else
            {
                await Migrator.MigrateAsync(connectionString!);
            }
            await Console.Out.WriteLineAsync($"Database schema ({(sqlite ? "SQLite" : "PostgreSQL")}) is up to date.");
            return 0;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Migration failed: {e.Message}");
            return 1;
        }
    }
}
