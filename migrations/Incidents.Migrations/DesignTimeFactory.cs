using Incidents.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Incidents.Migrations;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<IncidentsDbContext>
{
    public IncidentsDbContext CreateDbContext(string[] args) =>
        new(Migrator.Options(Environment.GetEnvironmentVariable("ConnectionStrings__Incidents") ?? "Host=localhost;Database=incidents"));
}
