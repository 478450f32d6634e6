namespace Incidents.Simulators.Hosting;

/// <summary>One simulated system behind the shared fault pipeline.</summary>
internal interface ISimulatorApi
{
    /// <summary>Endpoint name used for call counting, e.g. "channels.history".</summary>
    string EndpointName(HttpRequest request);

    void CountCall(string endpoint);

    Task<SimResponse> HandleAsync(HttpContext context);

    /// <summary>Response of a fault-injected 429 that lasts <paramref name="retryAfterSeconds"/>.</summary>
    SimResponse TooManyRequests(int retryAfterSeconds);

    SimResponse ServerError();

    SimResponse Unavailable();
}
