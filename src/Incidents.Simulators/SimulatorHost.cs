using Incidents.Simulators.Faults;
using Incidents.Simulators.Generic;
using Incidents.Simulators.GitHub;
using Incidents.Simulators.PagerDuty;
using Incidents.Simulators.Jira;
using Incidents.Simulators.GitLab;
using Incidents.Simulators.Redmine;
using Incidents.Simulators.RocketChat;
using Incidents.Simulators.Zammad;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Incidents.Simulators;

/// <summary>Rocket.Chat, GitHub and the other ticket systems' simulators (each under /{system}/) on one Kestrel listener.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RocketChatApi _rocketChatApi;
    private readonly GitHubApi _gitHubApi;
    private readonly PagerDutyApi _pagerDutyApi;
    private readonly ZammadApi _zammadApi;
    private readonly GenericApi _genericApi;
    private readonly JiraApi _jiraApi;
    private readonly GitLabApi _gitLabApi;
    private readonly RedmineApi _redmineApi;

    private SimulatorHost(WebApplication app, SimulatorOptions options)
    {
        _app = app;
        Options = options;
        RocketChat = new RocketChatState(options);
        GitHub = new GitHubState(options);
        Redmine = new RedmineState(options);
        _rocketChatApi = new RocketChatApi(RocketChat, options);
        _gitHubApi = new GitHubApi(GitHub, options);
        PagerDuty = new PagerDutyState(options);
        _pagerDutyApi = new PagerDutyApi(PagerDuty);
        Zammad = new ZammadState(options);
        _zammadApi = new ZammadApi(Zammad, options);
        Generic = new GenericState(options);
        _genericApi = new GenericApi(Generic, options);
        Jira = new JiraState(options);
        _jiraApi = new JiraApi(Jira, options);
        GitLab = new GitLabState(options);
        _gitLabApi = new GitLabApi(GitLab);
        _redmineApi = new RedmineApi(Redmine, options);
        app.Run(DispatchAsync);
    }

    /// <summary>Root of both APIs, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public SimulatorOptions Options { get; }

    public RocketChatState RocketChat { get; }

    public GitHubState GitHub { get; }

    /// <summary>PagerDuty REST API under <c>/pagerduty/</c> (API base <c>{BaseUrl}pagerduty</c>).</summary>
    public PagerDutyState PagerDuty { get; }
    /// <summary>The Zammad simulator's tickets and articles; its instance URL is <c>{BaseUrl}zammad</c>.</summary>
    public ZammadState Zammad { get; }
    /// <summary>The generic ticket system's reference receiver under <c>/generic/{receiver}</c>.</summary>
    public GenericState Generic { get; }
    /// <summary>The Jira simulator; its site base (API base) is <c>{BaseUrl}jira/</c>.</summary>
    public JiraState Jira { get; }
    /// <summary>The GitLab REST API under <c>/gitlab/api/v4</c>.</summary>
    public GitLabState GitLab { get; }
    /// <summary>The Redmine simulator; its API base is <see cref="BaseUrl"/> + <c>redmine/</c>.</summary>
    public RedmineState Redmine { get; }

    public FaultControls Faults { get; } = new();

    /// <summary>Starts Kestrel on <see cref="SimulatorOptions.Urls"/> and returns once it listens.</summary>
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RocketChatVersion is < 6 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RocketChatVersion, "RocketChatVersion must be 6, 7 or 8.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxFileSize + (1024 * 1024));
        builder.Logging.ClearProviders();
        if (options.EnableConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        var host = new SimulatorHost(builder.Build(), options);
        await host._app.StartAsync(ct);
        var address = host._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return host;
    }

    /// <summary>Back to the initial state: bot only, no rooms/comments, no faults, fresh counters and rate limits.</summary>
    public void Reset()
    {
        RocketChat.Reset();
        GitHub.Reset();
        PagerDuty.Reset();
        Zammad.Reset();
        Generic.Reset();
        Jira.Reset();
        GitLab.Reset();
        Redmine.Reset();
        Faults.Reset();
        _rocketChatApi.Limiter.Reset();
        _gitHubApi.RateLimits.Reset();
        _pagerDutyApi.RateLimits.Reset();
    }

    /// <summary>Completes when the host shuts down (Ctrl+C in the standalone process).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/_sim", StringComparison.Ordinal))
        {
            await AdminEndpoints.HandleAsync(context, this);
            return;
        }

        var stopping = _app.Lifetime.ApplicationStopping;
        if (RocketChatApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.RocketChat, _rocketChatApi, stopping);
        }
        else if (PagerDutyApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.PagerDuty, _pagerDutyApi, stopping);
        }
        else if (ZammadApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.Zammad, _zammadApi, stopping);
        }
        else if (GenericApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.Generic, _genericApi, stopping);
        }
        else if (JiraApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.Jira, _jiraApi, stopping);
        }
        else if (GitLabApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.GitLab, _gitLabApi, stopping);
        }
        else if (RedmineApi.Owns(path))
        {
            await FaultPipeline.RunAsync(context, Faults.Redmine, _redmineApi, stopping);
        }
        else
        {
            await FaultPipeline.RunAsync(context, Faults.GitHub, _gitHubApi, stopping);
        }
    }
}
