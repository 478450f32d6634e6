namespace Incidents.Transcripts;

/// <summary>
/// A file uploaded to the channel, downloaded before the channel is removed (Rocket.Chat deletes a room's
/// files with the room). The bytes stay in the database and are served through signed, expiring links.
/// </summary>
internal sealed class CapturedFile
{
    public Guid ChannelId { get; init; }
    public required string FileId { get; init; }
    public required string Name { get; init; }
    public string? ContentType { get; init; }
    public long Size { get; set; }
    public string? Sha256 { get; set; }
    public byte[]? Content { get; set; }
    /// <summary>Where the chat server serves it (relative to its base URL), used for the download.</summary>
    public required string SourceUrl { get; init; }
    public DateTimeOffset? DownloadedAt { get; set; }
    /// <summary>Why the bytes were not kept (gone from the chat server, too large); null when they were.</summary>
    public string? Problem { get; set; }
}
