using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Data;

/// <summary>
/// Which database the service uses, decided once from configuration: PostgreSQL (<see cref="IncidentsDbContext"/>,
/// migrations in Incidents.Migrations) or the embedded SQLite file (<see cref="SqliteIncidentsDbContext"/>,
/// migrations compiled into the service and applied on start).
/// </summary>
internal sealed class DatabaseSetup
{
    public const string DefaultSqlite = "Data Source=incidents.db";
    private readonly DbContextOptions _options;

    public DatabaseSetup(IOptions<DatabaseOptions> database, IConfiguration configuration, ILoggerFactory loggers)
    {
        var connectionString = configuration.GetConnectionString("Incidents");
        IsSqlite = database.Value.Provider == "Sqlite" || (database.Value.Provider == "" && string.IsNullOrWhiteSpace(connectionString));
        ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString;
        _options = IsSqlite
            ? Sqlite(ConnectionString).UseLoggerFactory(loggers).Options
            : Postgres(ConnectionString, "Incidents.Migrations").UseLoggerFactory(loggers).Options;
    }

    public bool IsSqlite { get; }

    public string ConnectionString { get; }

    public IncidentsDbContext CreateContext() => IsSqlite
        ? new SqliteIncidentsDbContext((DbContextOptions<SqliteIncidentsDbContext>)_options)
        : new IncidentsDbContext((DbContextOptions<IncidentsDbContext>)_options);

    public static DbContextOptionsBuilder<IncidentsDbContext> Postgres(string connectionString, string migrationsAssembly) =>
        new DbContextOptionsBuilder<IncidentsDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsAssembly(migrationsAssembly))
            .UseSnakeCaseNamingConvention();

    public static DbContextOptionsBuilder<SqliteIncidentsDbContext> Sqlite(string connectionString) =>
        new DbContextOptionsBuilder<SqliteIncidentsDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsAssembly(typeof(DatabaseSetup).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention();
}

internal static class DatabaseRegistration
{
    public static IServiceCollection AddIncidentsDatabase(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<DatabaseSetup>();
        services.AddScoped(sp => sp.GetRequiredService<DatabaseSetup>().CreateContext());
        services.AddHostedService<EmbeddedDatabaseMigrator>();
        return services;
    }
}

/// <summary>SQLite only: the service creates and upgrades its own file on start (PostgreSQL is migrated by the migrator).</summary>
internal sealed class EmbeddedDatabaseMigrator(DatabaseSetup setup) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!setup.IsSqlite)
        {
            return;
        }
        await using var db = setup.CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
