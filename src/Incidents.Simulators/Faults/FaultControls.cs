namespace Incidents.Simulators;

/// <summary>Fault injection for every simulated system.</summary>
public sealed class FaultControls
{
    public FaultTarget RocketChat { get; } = new("rocketchat");

    public FaultTarget GitHub { get; } = new("github");

    public FaultTarget GitLab { get; } = new("gitlab");

    /// <summary>Looks a target up by its admin-endpoint name ("rocketchat" | "github" | "gitlab").</summary>
    public FaultTarget this[string target] => target.ToUpperInvariant() switch
    {
        "ROCKETCHAT" => RocketChat,
        "GITHUB" => GitHub,
        "GITLAB" => GitLab,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fault target."),
    };

    public void Reset()
    {
        RocketChat.Reset();
        GitHub.Reset();
        GitLab.Reset();
    }
}
