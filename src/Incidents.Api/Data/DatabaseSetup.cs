using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    // Contexts come from a pool: a webhook or an outbox step reuses a reset context instead of building a new one.
    private readonly IDbContextFactory<IncidentsDbContext> _contexts;

    public DatabaseSetup(IOptions<DatabaseOptions> database, IConfiguration configuration, ILoggerFactory loggers)
    {
        var connectionString = configuration.GetConnectionString("Incidents");
        IsSqlite = database.Value.Provider == "Sqlite" || (database.Value.Provider == "" && string.IsNullOrWhiteSpace(connectionString));
        ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString;
        _contexts = IsSqlite
            ? new Pool<SqliteIncidentsDbContext>(new PooledDbContextFactory<SqliteIncidentsDbContext>(Sqlite(ConnectionString).UseLoggerFactory(loggers).Options))
            : new PooledDbContextFactory<IncidentsDbContext>(Postgres(ConnectionString, "Incidents.Migrations").UseLoggerFactory(loggers).Options);
    }

    public bool IsSqlite { get; }

    public string ConnectionString { get; }

    /// <summary>A context from the pool; disposing it returns it.</summary>
    public IncidentsDbContext CreateContext() => _contexts.CreateDbContext();

    private sealed class Pool<T>(IDbContextFactory<T> pool) : IDbContextFactory<IncidentsDbContext> where T : IncidentsDbContext
    {
        public IncidentsDbContext CreateDbContext() => pool.CreateDbContext();
    }

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
