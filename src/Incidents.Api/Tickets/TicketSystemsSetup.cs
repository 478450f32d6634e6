using Incidents.Tickets.Generic;
using Incidents.Tickets.GitHub;
using Incidents.Tickets.PagerDuty;
using Incidents.Tickets.Zammad;
using Incidents.Tickets.Jira;
using Incidents.Tickets.GitLab;
using Incidents.Tickets.Redmine;
using Incidents.Web;

namespace Incidents.Tickets;

/// <summary>Every supported ticket system, each registered once per configured instance (docs/ticket-systems.md).</summary>
internal static class TicketSystemsSetup
{
    public static IServiceCollection AddTicketSystems(this IServiceCollection services, IConfiguration configuration)
    {
        var instances = 0;
        instances += services.AddTicketSystem<GitHubOptions>(configuration, "github", GitHubOptions.Section,
            (sp, instance, options, http) => new GitHubTicketSystem(instance, options, http, Time(sp), Telemetry(sp)));
        instances += services.AddTicketSystem<PagerDutyOptions>(configuration, "pagerduty", PagerDutyOptions.Section,
            (sp, instance, options, http) => new PagerDutyTicketSystem(instance, options, http, Time(sp), Telemetry(sp)));
        instances += services.AddTicketSystem<ZammadOptions>(configuration, "zammad", ZammadOptions.Section,
            (sp, instance, options, http) => new ZammadTicketSystem(instance, options, http, Time(sp), Telemetry(sp)));
        instances += services.AddTicketSystem<GenericOptions>(configuration, "generic", GenericOptions.Section,
            (sp, instance, options, http) => new GenericTicketSystem(instance, options, http, Time(sp), Telemetry(sp)));
        instances += services.AddTicketSystem<JiraOptions>(configuration, "jira", JiraOptions.Section,
            (sp, instance, options, http) => new JiraTicketSystem(instance, options, http, Time(sp), Telemetry(sp)));
        instances += services.AddTicketSystem<GitLabOptions>(configuration, "gitlab", GitLabOptions.Section,
            (sp, instance, options, http) => new GitLabTicketSystem(instance, options, http, Time(sp), Telemetry(sp)));
        instances += services.AddRedmine(configuration);
        if (instances == 0)
        {
            // Reported at start like every other configuration failure (exit code 2).
            services.AddOptions<NoTicketSystem>().Validate(_ => false,
                "no ticket system is configured: set the keys of at least one under 'Tickets' (e.g. Tickets:GitHub:WebhookSecret and Tickets:GitHub:Token; see docs/ticket-systems.md)")
                .ValidateOnStart();
        }
        services.AddScoped<TicketSystems>();
        return services;
    }

    private static TimeProvider Time(IServiceProvider sp) => sp.GetRequiredService<TimeProvider>();

    private static Telemetry Telemetry(IServiceProvider sp) => sp.GetRequiredService<Telemetry>();

    private sealed class NoTicketSystem;
}
