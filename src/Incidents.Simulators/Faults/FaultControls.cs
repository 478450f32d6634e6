namespace Incidents.Simulators;

/// <summary>Fault injection for both simulated systems.</summary>
public sealed class FaultControls
{
    public FaultTarget RocketChat { get; } = new("rocketchat");

    public FaultTarget GitHub { get; } = new("github");

    public FaultTarget PagerDuty { get; } = new("pagerduty");

    /// <summary>Looks a target up by its admin-endpoint name ("rocketchat" | "github" | "pagerduty").</summary>
    public FaultTarget this[string target] => target.ToUpperInvariant() switch
    {
        "ROCKETCHAT" => RocketChat,
        "GITHUB" => GitHub,
        "PAGERDUTY" => PagerDuty,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fault target."),
    };

    public void Reset()
    {
        RocketChat.Reset();
        GitHub.Reset();
        PagerDuty.Reset();
    }
}
