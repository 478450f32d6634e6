using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>The real service, configured through its ordinary configuration keys, with test time.</summary>
public sealed class IncidentsApp(IReadOnlyDictionary<string, string?> settings, TimeProvider time, ILoggerProvider? logs = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(time);
            if (logs is not null)
            {
                services.AddSingleton(logs);
            }
        });
    }
}
