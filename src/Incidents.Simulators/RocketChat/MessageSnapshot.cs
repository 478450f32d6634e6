namespace Incidents.Simulators;

/// <summary>Point-in-time copy of a stored message; <see cref="Json"/> is its REST representation.</summary>
public sealed record MessageSnapshot
{
    public required string Id { get; init; }
    public required string RoomId { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset Ts { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string UserId { get; init; }
    public required string Username { get; init; }
    /// <summary>System message type (<c>t</c>), null for normal messages.</summary>
    public string? Type { get; init; }
    public string? Tmid { get; init; }
    public bool? Tshow { get; init; }
    public int? Tcount { get; init; }
    public DateTimeOffset? Tlm { get; init; }
    public IReadOnlyList<string> Replies { get; init; } = [];
    public DateTimeOffset? EditedAt { get; init; }
    public string? EditedBy { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Reactions { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public bool Pinned { get; init; }
    public bool Hidden { get; init; }
    public IReadOnlyList<string> FileIds { get; init; } = [];
    public string? Alias { get; init; }
    public required string Json { get; init; }
}
