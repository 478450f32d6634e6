using Incidents.Web;

namespace Incidents.Dashboard;

/// <summary>
/// The operator dashboard at <c>/dashboard</c>: one static page, one script and one stylesheet, all embedded
/// in the assembly and holding no data. The page asks for the admin key, keeps it in the tab's
/// sessionStorage and calls the admin API with it; the two small read endpoints here add what the page
/// needs beyond that API (the chat's address for links, and each listed incident's problems).
/// </summary>
internal static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (HttpContext http) => DashboardAssets.Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/app.js", (HttpContext http) => DashboardAssets.Serve(http, "app.js")).ExcludeFromDescription();
        app.MapGet("/dashboard/app.css", (HttpContext http) => DashboardAssets.Serve(http, "app.css")).ExcludeFromDescription();
        var api = app.MapGroup("/dashboard/api").WithTags("Dashboard").AddEndpointFilter<AdminAuth>();
        api.MapGet("/settings", DashboardSettings.Handle).WithName("DashboardSettings");
        api.MapGet("/problems", DashboardProblems.Handle).WithName("DashboardProblems");
        return app;
    }
}
