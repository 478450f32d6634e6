using Incidents.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Incidents.Web;

internal sealed class DatabaseHealthCheck(IncidentsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the database cannot be reached");
}
