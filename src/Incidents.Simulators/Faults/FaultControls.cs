namespace Incidents.Simulators;

/// <summary>Fault injection for every simulated system.</summary>
public sealed class FaultControls
{
    public FaultTarget RocketChat { get; } = new("rocketchat");

    public FaultTarget GitHub { get; } = new("github");

    public FaultTarget Redmine { get; } = new("redmine");

    /// <summary>Looks a target up by its admin-endpoint name ("rocketchat" | "github" | "redmine").</summary>
    public FaultTarget this[string target] => target.ToUpperInvariant() switch
    {
        "ROCKETCHAT" => RocketChat,
        "GITHUB" => GitHub,
        "REDMINE" => Redmine,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fault target."),
    };

    public void Reset()
    {
        RocketChat.Reset();
        GitHub.Reset();
        Redmine.Reset();
    }
}
