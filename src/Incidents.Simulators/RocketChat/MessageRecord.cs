using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat;

internal sealed class MessageRecord
{
    public required string Id { get; init; }
    public required string Rid { get; set; }
    public required long Seq { get; init; }
    public required DateTimeOffset Ts { get; init; }
    public required UserRef User { get; init; }
    public string Msg { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string? T { get; set; }
    public string? Tmid { get; set; }
    public bool? Tshow { get; set; }
    public int? Tcount { get; set; }
    public DateTimeOffset? Tlm { get; set; }
    public List<string>? Replies { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public UserRef? EditedBy { get; set; }
    public SortedDictionary<string, List<string>>? Reactions { get; set; }
    public bool Pinned { get; set; }
    public DateTimeOffset? PinnedAt { get; set; }
    public UserRef? PinnedBy { get; set; }
    public JsonArray? Attachments { get; set; }
    public List<UploadRecord> Files { get; } = [];
    public List<UserRef> Mentions { get; set; } = [];
    public List<string> Urls { get; set; } = [];
    public string? Alias { get; set; }
    public string? Emoji { get; set; }
    public string? Avatar { get; set; }
    public bool? ParseUrls { get; set; }
    public bool? Groupable { get; set; }
    public JsonObject? CustomFields { get; set; }
    public JsonArray? Blocks { get; set; }
    public bool Hidden { get; init; }
}
