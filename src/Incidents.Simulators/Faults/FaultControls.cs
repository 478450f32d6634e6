namespace Incidents.Simulators;

/// <summary>Fault injection for both simulated systems.</summary>
public sealed class FaultControls
{
    public FaultTarget RocketChat { get; } = new("rocketchat");

    public FaultTarget GitHub { get; } = new("github");

    public FaultTarget Generic { get; } = new("generic");

    /// <summary>Looks a target up by its admin-endpoint name ("rocketchat" | "github" | "generic").</summary>
    public FaultTarget this[string target] => target.ToUpperInvariant() switch
    {
        "ROCKETCHAT" => RocketChat,
        "GITHUB" => GitHub,
        "GENERIC" => Generic,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fault target."),
    };

    public void Reset()
    {
        RocketChat.Reset();
        GitHub.Reset();
        Generic.Reset();
    }
}
