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

        var connectionString = configuration.GetConnectionString("Incidents");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("Missing configuration key 'ConnectionStrings:Incidents' (environment variable ConnectionStrings__Incidents).");
            return 2;
        }
        try
        {
            await Migrator.MigrateAsync(connectionString);
            await Console.Out.WriteLineAsync("Database schema is up to date.");
            return 0;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Migration failed: {e.Message}");
            return 1;
        }
    }
}
