using Incidents.Migrations;
using Microsoft.Extensions.Configuration;

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
    Console.WriteLine("Database schema is up to date.");
    return 0;
}
catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"Migration failed: {e.Message}");
    return 1;
}
