namespace Incidents.Simulators;

/// <summary>Fault injection for every simulated system.</summary>
public sealed class FaultControls
{
    public FaultTarget RocketChat { get; } = new("rocketchat");

    public FaultTarget GitHub { get; } = new("github");

    public FaultTarget PagerDuty { get; } = new("pagerduty");

    public FaultTarget Zammad { get; } = new("zammad");

    public FaultTarget Generic { get; } = new("generic");

    public FaultTarget Jira { get; } = new("jira");

    public FaultTarget GitLab { get; } = new("gitlab");

    public FaultTarget Redmine { get; } = new("redmine");

    /// <summary>Looks a target up by its admin-endpoint name ("rocketchat", "github", or a ticket system's name).</summary>
    public FaultTarget this[string target] => target.ToUpperInvariant() switch
    {
        "ROCKETCHAT" => RocketChat,
        "GITHUB" => GitHub,
        "PAGERDUTY" => PagerDuty,
        "ZAMMAD" => Zammad,
        "GENERIC" => Generic,
        "JIRA" => Jira,
        "GITLAB" => GitLab,
        "REDMINE" => Redmine,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fault target."),
    };

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
    }
}
