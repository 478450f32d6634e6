using Incidents.Web;

namespace Incidents.Incidents;

/// <summary>Read-only admin API over incidents (bearer key).</summary>
internal static class IncidentEndpoints
{
    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/incidents").WithTags("Incidents").AddEndpointFilter<AdminAuth>();
        group.MapGet("/", ListIncidents.Handle).WithName("ListIncidents");
        group.MapGet("/{id:guid}", GetIncident.Handle).WithName("GetIncident");
        group.MapPost("/{id:guid}/requeue", AdminActions.Requeue).WithName("RequeueDeadWork");
        group.MapPost("/{id:guid}/close", AdminActions.Close).WithName("ForceClose");
        group.MapPost("/{id:guid}/retry-verification", AdminActions.RetryVerification).WithName("RetryVerification");
        group.MapPost("/{id:guid}/export", AdminActions.Export).WithName("ForceExport");
        return app;
    }
}
