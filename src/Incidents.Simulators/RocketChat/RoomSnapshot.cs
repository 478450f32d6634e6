namespace Incidents.Simulators;

/// <summary>Point-in-time copy of a room (deleted rooms are kept with <see cref="Deleted"/> = true).</summary>
public sealed record RoomSnapshot
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>"c" (public channel) or "p" (private group).</summary>
    public required string Type { get; init; }
    public string? Topic { get; init; }
    public string? Description { get; init; }
    public bool Archived { get; init; }
    public bool Deleted { get; init; }
    public bool ReadOnly { get; init; }
    public required string CreatorId { get; init; }
    /// <summary>Member usernames in join order.</summary>
    public required IReadOnlyList<string> Members { get; init; }
    public required IReadOnlyList<string> MemberIds { get; init; }
    public required IReadOnlyList<string> OwnerIds { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int MessageCount { get; init; }
    public string? CustomFieldsJson { get; init; }
}
