using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Migrations;

/// <summary>
/// Applies every pending migration to <c>ConnectionStrings:Incidents</c> and exits. The service never changes
/// the schema itself; run this first (the compose stack runs it as a one-shot service).
/// </summary>
internal static class Migrator
{
    public static DbContextOptions<IncidentsDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<IncidentsDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsAssembly(typeof(Migrator).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention()
            .Options;

    public static async Task MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var db = new IncidentsDbContext(Options(connectionString));
        await db.Database.MigrateAsync(ct);
    }
}
