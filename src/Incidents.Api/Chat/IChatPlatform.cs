namespace Incidents.Chat;

/// <summary>The chat server side of an incident: one room per open period of a ticket.</summary>
internal interface IChatPlatform
{
    /// <summary>Creates the room, or finds it when an earlier attempt already created it.</summary>
    Task<string> EnsureRoomAsync(string name, CancellationToken ct);

    /// <summary>Sets the topic; setting the same topic again is not an error.</summary>
    Task SetTopicAsync(string roomId, string topic, CancellationToken ct);

    /// <summary>Posts a message under a caller-chosen id, so a retried post finds the first one.</summary>
    Task PostAsync(string roomId, string messageId, string text, CancellationToken ct);

    /// <summary>Makes the room read-only; archiving an archived room is not an error.</summary>
    Task ArchiveAsync(string roomId, CancellationToken ct);

    /// <summary>Deletes the room with its messages and files; deleting a deleted room is not an error.</summary>
    Task DeleteAsync(string roomId, CancellationToken ct);

    /// <summary>Every message of the room, top-level and thread replies, newest first.</summary>
    IAsyncEnumerable<ChatMessage> ReadHistoryAsync(string roomId, CancellationToken ct);

    /// <summary>Link a person can open to reach the room.</summary>
    string RoomLink(string name);
}
