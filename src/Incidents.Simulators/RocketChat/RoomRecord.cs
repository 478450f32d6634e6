using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat;

internal sealed class RoomRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required string CreatorId { get; init; }
    public required string CreatorUsername { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? Topic { get; set; }
    public string? Description { get; set; }
    public string? Announcement { get; set; }
    public bool Archived { get; set; }
    public bool Deleted { get; set; }
    public bool ReadOnly { get; init; }
    public bool Broadcast { get; init; }
    public bool Encrypted { get; init; }
    public JsonObject? CustomFields { get; init; }
    public List<string> MemberIds { get; } = [];
    public HashSet<string> OwnerIds { get; } = new(StringComparer.Ordinal);
    public int Msgs { get; set; }
    public MessageRecord? LastMessage { get; set; }
    public RoomTimeline Timeline { get; } = new();

    public bool IsMember(string userId) => MemberIds.Contains(userId);
}
