using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Migrations;

/// <summary>
/// Applies every pending migration and exits: PostgreSQL migrations live in this assembly (Postgres/), the embedded
/// SQLite ones in the service (Sqlite/, compiled into Incidents.Api so that it can create its own file on start).
/// The service never changes a PostgreSQL schema itself; the compose stack runs this as a one-shot service.
/// </summary>
internal static class Migrator
{
    public static DbContextOptions<IncidentsDbContext> Options(string connectionString) =>
        DatabaseSetup.Postgres(connectionString, typeof(Migrator).Assembly.GetName().Name!).Options;

    public static async Task MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var db = new IncidentsDbContext(Options(connectionString));
        await db.Database.MigrateAsync(ct);
    }

    public static async Task MigrateSqliteAsync(string connectionString, CancellationToken ct = default)
    {
        await using var db = new SqliteIncidentsDbContext(DatabaseSetup.Sqlite(connectionString).Options);
        await db.Database.MigrateAsync(ct);
    }
}
