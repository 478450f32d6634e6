namespace Incidents.Incidents;

/// <summary>
/// The chat channel of one open period of an incident. Its <see cref="Status"/> is the checkpoint of the
/// close pipeline: every phase is idempotent and resumes from here after a crash.
/// </summary>
internal sealed class Channel
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public int Period { get; init; }
    public required string Name { get; set; }
    public string? RoomId { get; set; }
    public ChannelStatus Status { get; set; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RemovedAt { get; set; }
    public string? TranscriptHash { get; set; }
    public List<string> TranscriptCommentIds { get; set; } = [];
    public string? TranscriptUrl { get; set; }
    public string? LastError { get; set; }

    /// <summary>Where the history export continues after a restart (JSON of the chat's cursor); null before it starts.</summary>
    public string? ExportCursor { get; set; }
    /// <summary>The whole history is captured; files and rendering follow.</summary>
    public bool HistoryComplete { get; set; }
    public int ExportPages { get; set; }
    public int ExportMessages { get; set; }
    public int ExportFiles { get; set; }
    /// <summary>Set before the first transcript comment is posted: only then can the ticket already hold some parts.</summary>
    public bool PublishStarted { get; set; }
}

internal enum ChannelStatus
{
    /// <summary>Not created in the chat yet.</summary>
    Pending,
    /// <summary>Exists, topic set, first message posted.</summary>
    Open,
    /// <summary>Made read-only so the transcript cannot miss a late message.</summary>
    Archived,
    /// <summary>History read and the transcript stored in the database.</summary>
    Captured,
    /// <summary>Every transcript part is in the ticket.</summary>
    Published,
    /// <summary>The ticket was read back and every part matched its hash.</summary>
    Verified,
    /// <summary>Deleted (or left archived, by policy) after verification. Terminal.</summary>
    Removed,
}
