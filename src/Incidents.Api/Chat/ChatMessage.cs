namespace Incidents.Chat;

/// <summary>A chat message as the transcript needs it, independent of the chat server.</summary>
internal sealed record ChatMessage(
    string Id,
    DateTimeOffset Timestamp,
    string Username,
    string? DisplayName,
    string Text,
    string? SystemType = null,
    string? ThreadId = null,
    DateTimeOffset? EditedAt = null,
    string? EditedBy = null,
    IReadOnlyList<ChatFile>? Files = null,
    IReadOnlyList<ChatAttachment>? Attachments = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Reactions = null,
    bool Pinned = false,
    int ThreadReplyCount = 0,
    IReadOnlyList<string>? Mentions = null,
    IReadOnlyList<ChatLink>? Links = null,
    string? RawTimestamp = null)
{
    public bool IsSystem => SystemType is not null;
    public bool IsThreadReply => ThreadId is not null;
}

internal sealed record ChatFile(string Id, string Name, string? Type, long? Size, string Url);

/// <summary>A URL found in a message, with the preview title the chat server fetched for it, if any.</summary>
internal sealed record ChatLink(string Url, string? Title, string? Description);

internal sealed record ChatAttachment(string? Title, string? TitleLink, string? Text, string? AuthorName, string? MessageLink, string? ImageUrl);
