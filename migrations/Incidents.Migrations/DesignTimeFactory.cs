using Incidents.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace Incidents.Migrations;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without starting the service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<IncidentsDbContext>
{
    public IncidentsDbContext CreateDbContext(string[] args) =>
        new(Migrator.Options(Environment.GetEnvironmentVariable("ConnectionStrings__Incidents") ?? "Host=localhost;Database=incidents"));
}

/// <summary>Lets <c>dotnet ef --context SqliteIncidentsDbContext</c> build the SQLite model.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIncidentsDbContext>
{
    public SqliteIncidentsDbContext CreateDbContext(string[] args) => new(DatabaseSetup.Sqlite("Data Source=design-time.db").Options);
}
