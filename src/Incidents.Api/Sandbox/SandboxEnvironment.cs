using System.Security.Cryptography;
using Incidents.Simulators;

namespace Incidents.Sandbox;

/// <summary>
/// Sandbox mode (<c>--sandbox</c>, never on by default): the service hosts its Rocket.Chat- and GitHub-compatible
/// simulators in-process and wires itself to them with freshly generated secrets, so a person can see the whole
/// loop on one machine with nothing installed but the .NET SDK. Nothing leaves the machine.
/// </summary>
internal sealed class SandboxEnvironment(SimulatorHost simulators, Uri serviceUrl, string webhookSecret, string adminKey) : IAsyncDisposable
{
    public const string Repository = "sandbox/incidents-demo";
    public const long RepositoryId = 424242;
    public const string Person = "you";

    public SimulatorHost Simulators { get; } = simulators;
    public Uri ServiceUrl { get; } = serviceUrl;
    public string WebhookSecret { get; } = webhookSecret;
    public string AdminKey { get; } = adminKey;

    /// <summary>Also switched on by configuration (<c>Sandbox:Enabled=true</c>), e.g. from an environment variable.</summary>
    public static bool Requested(IConfiguration configuration) => configuration.GetValue<bool>("Sandbox:Enabled");

    /// <summary>Starts the simulators and returns the configuration that points the service at them.</summary>
    public static async Task<SandboxEnvironment> StartAsync(WebApplicationBuilder builder)
    {
        var urls = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = "http://127.0.0.1:5080";
            builder.WebHost.UseUrls(urls);
        }
        var serviceUrl = new Uri(urls.Split(';')[0].Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
        var simulators = await SimulatorHost.StartAsync(new SimulatorOptions());
        var sandbox = new SandboxEnvironment(simulators, serviceUrl, Secret(), Secret());
        var settings = new Dictionary<string, string?>
        {
            ["RocketChat:Url"] = simulators.BaseUrl.ToString(),
            ["RocketChat:UserId"] = simulators.Options.BotUserId,
            ["RocketChat:AuthToken"] = simulators.Options.BotToken,
            ["Tickets:GitHub:ApiUrl"] = simulators.BaseUrl.ToString(),
            ["Tickets:GitHub:Token"] = simulators.Options.GitHubToken,
            ["Tickets:GitHub:WebhookSecret"] = sandbox.WebhookSecret,
            ["Admin:ApiKey"] = sandbox.AdminKey,
            ["Transcripts:PublicUrl"] = serviceUrl.ToString(),
            ["Transcripts:SigningKey"] = Secret(),
            ["Outbox:Background"] = "true",
            ["Outbox:PollInterval"] = "00:00:00.250",
        };
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(sandbox);
        return sandbox;
    }

    public ValueTask DisposeAsync() => Simulators.DisposeAsync();

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
