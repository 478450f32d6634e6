namespace Incidents.Chat;

/// <summary>The chat server side of an incident: one room per open period of a ticket.</summary>
internal interface IChatPlatform
{
    /// <summary>Creates the room with its topic, or finds it when an earlier attempt already created it.</summary>
    Task<string> EnsureRoomAsync(string name, string topic, CancellationToken ct);

    /// <summary>Posts a message under a caller-chosen id, so a retried post finds the first one.</summary>
    Task PostAsync(string roomId, string messageId, string text, CancellationToken ct);

    /// <summary>Makes the room read-only; archiving an archived room is not an error.</summary>
    Task ArchiveAsync(string roomId, CancellationToken ct);

    /// <summary>Deletes the room with its messages and files; deleting a deleted room is not an error.</summary>
    Task DeleteAsync(string roomId, CancellationToken ct);

    /// <summary>
    /// One page of the room's history, top-level messages and thread replies together, newest first. Messages
    /// already returned by earlier pages are not returned again.
    /// </summary>
    Task<HistoryPage> ReadHistoryPageAsync(string roomId, HistoryCursor cursor, CancellationToken ct);

    /// <summary>
    /// Downloads an uploaded file (authenticated) before the room, and with it the file, is deleted. A file that is
    /// gone or larger than <paramref name="maxBytes"/> comes back without bytes and with the reason.
    /// </summary>
    Task<FileDownload> DownloadFileAsync(string url, long maxBytes, CancellationToken ct);

    /// <summary>Link a person can open to reach the room.</summary>
    string RoomLink(string name);
}
