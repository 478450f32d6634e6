using Incidents.Web;

namespace Incidents.Tickets.Redmine;

/// <summary>Registers every configured Redmine instance, the poller that feeds them and its background loop.</summary>
internal static class RedmineSetup
{
    public const string System = "redmine";

    /// <summary>How many Redmine instances were registered.</summary>
    public static int AddRedmine(this IServiceCollection services, IConfiguration configuration)
    {
        var count = services.AddTicketSystem<RedmineOptions>(configuration, System, RedmineOptions.Section,
            (sp, instance, options, http) => new RedmineTicketSystem(instance, options, http, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<Telemetry>(), sp.GetRequiredService<RedmineDirectories>().For(instance.Source), sp.GetRequiredService<IHttpContextAccessor>()));
        if (count > 0)
        {
            services.AddHttpContextAccessor(); // the webhook token may come in the query string, which VerifySignature cannot see otherwise
            services.AddSingleton<RedmineDirectories>();
            services.AddSingleton<RedminePoller>();
            services.AddHostedService<RedminePolling>();
        }
        return count;
    }
}
