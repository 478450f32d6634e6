using Incidents.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Incidents.Data;

/// <summary>
/// The embedded single-instance store: the same model on a SQLite file. Times are stored as UTC ticks so
/// that SQL can compare and sort them, JSON columns are plain text, and the incident's row version (PostgreSQL's
/// <c>xmin</c>) becomes a counter the context increments on every change. Its migrations live beside the
/// PostgreSQL ones, under migrations/Incidents.Migrations/Sqlite, compiled into the service so that it can
/// create its own file on start.
/// </summary>
internal sealed class SqliteIncidentsDbContext(DbContextOptions<SqliteIncidentsDbContext> options) : IncidentsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()).Where(p => p.GetColumnType() == "jsonb"))
        {
            property.SetColumnType("TEXT");
        }
        modelBuilder.Entity<Incident>().Property(i => i.Version).ValueGeneratedNever().IsConcurrencyToken();
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries<Incident>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}
