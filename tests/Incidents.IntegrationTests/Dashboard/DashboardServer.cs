using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Incidents.IntegrationTests.Dashboard;

/// <summary>
/// The real service on a real Kestrel port of the loopback interface, so a browser can reach it; configured
/// like <see cref="Infrastructure.IncidentsApp"/> (same settings, same clock), typically as a second instance
/// on a harness's database.
/// </summary>
internal sealed class DashboardServer : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TimeProvider _time;

    public DashboardServer(IReadOnlyDictionary<string, string?> settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Starts the server and returns its base address, e.g. http://127.0.0.1:43117/.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.Single().TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton(_time));
    }
}
