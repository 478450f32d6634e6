using Incidents.Web;
using Microsoft.Extensions.Options;

namespace Incidents.Tickets;

/// <summary>
/// Registers every configured instance of a ticket system: its options are bound from the instance's own
/// section and validated at start (failures name the instance's keys), and an <see cref="ITicketSystem"/> is
/// built per instance, when it is first needed, with an HTTP client of its own.
/// </summary>
internal static class TicketSystemRegistration
{
    /// <summary>How many instances were registered (callers check that at least one system is configured).</summary>
    public static int AddTicketSystem<TOptions>(this IServiceCollection services, IConfiguration configuration, string system, string section,
        Func<IServiceProvider, TicketInstance, TOptions, HttpClient, ITicketSystem> create)
        where TOptions : class
    {
        var count = 0;
        foreach (var instance in TicketInstance.Discover(configuration, system, section))
        {
            count++;
            services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(instance.Section, instance.Source));
            services.AddOptions<TOptions>(instance.Source).BindConfiguration(instance.Section).ValidateOnStart();
            services.AddHttpClient(instance.Source);
            services.AddSingleton(new TicketSystemFactory(instance, sp => create(
                sp,
                instance,
                sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(instance.Source),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(instance.Source))));
        }
        return count;
    }
}

/// <summary>How to build the <see cref="ITicketSystem"/> of one configured instance.</summary>
internal sealed record TicketSystemFactory(TicketInstance Instance, Func<IServiceProvider, ITicketSystem> Create);
