namespace Incidents.Tickets.Zammad;

/// <summary>What the configured triggers mean; a name that is none of them is read as an update.</summary>
internal enum TriggerRole
{
    Opened,
    Updated,
    Article,
    Closed,
    Reopened,
    Unknown,
}

/// <summary>One instance's options as the webhook reader needs them: trigger names, closed states, who we are.</summary>
internal sealed class ZammadSettings
{
    private readonly Dictionary<string, TriggerRole> _triggers = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _closedStates;

    public ZammadSettings(string keyPrefix, ZammadOptions options)
    {
        KeyPrefix = keyPrefix;
        WebUrl = (options.Url?.ToString() ?? "").TrimEnd('/');
        IntegrationUserLogin = options.IntegrationUserLogin;
        IntegrationUserId = options.IntegrationUserId;
        RelayInternalArticles = options.RelayInternalArticles;
        _closedStates = new HashSet<string>(List(options.ClosedStates), StringComparer.OrdinalIgnoreCase);
        Add(options.OpenedTriggers, TriggerRole.Opened);
        Add(options.UpdatedTriggers, TriggerRole.Updated);
        Add(options.ArticleTriggers, TriggerRole.Article);
        Add(options.ClosedTriggers, TriggerRole.Closed);
        Add(options.ReopenedTriggers, TriggerRole.Reopened);
    }

    public string KeyPrefix { get; }

    /// <summary>The Zammad base URL without a trailing slash; ticket links are {WebUrl}/#ticket/zoom/{id}.</summary>
    public string WebUrl { get; }

    public string? IntegrationUserLogin { get; }

    public long? IntegrationUserId { get; }

    public bool RelayInternalArticles { get; }

    public TriggerRole RoleOf(string trigger) => _triggers.GetValueOrDefault(trigger.Trim(), TriggerRole.Unknown);

    public bool IsClosedState(string state) => _closedStates.Contains(state.Trim());

    /// <summary>A comma-separated list of names, trimmed, without empty entries.</summary>
    public static IEnumerable<string> List(string? names) =>
        (names ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private void Add(string? names, TriggerRole role)
    {
        foreach (var name in List(names))
        {
            _triggers.TryAdd(name, role);
        }
    }
}
