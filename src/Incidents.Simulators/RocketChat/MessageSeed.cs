namespace Incidents.Simulators;

/// <summary>A message inserted directly into the state (no HTTP, no rate limits).</summary>
public sealed class MessageSeed
{
    public required string RoomId { get; init; }
    public string Text { get; init; } = "";
    /// <summary>Server time when null. Several seeds may share one value.</summary>
    public DateTimeOffset? Ts { get; init; }
    /// <summary>Author; the bot when null.</summary>
    public string? UserId { get; init; }
    /// <summary>Client id; generated when null.</summary>
    public string? Id { get; init; }
    public string? Tmid { get; init; }
    public bool? Tshow { get; init; }
    /// <summary>System message type (<c>t</c>).</summary>
    public string? Type { get; init; }
    public bool Hidden { get; init; }
    public SeedFile? File { get; init; }
}
