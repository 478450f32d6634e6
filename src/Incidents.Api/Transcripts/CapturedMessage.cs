namespace Incidents.Transcripts;

/// <summary>
/// One chat message as captured during an export, stored as soon as its page is read so that an export
/// resumes where it stopped and rendering can stream the channel in chronological order from the database.
/// </summary>
internal sealed class CapturedMessage
{
    public Guid ChannelId { get; init; }
    public required string MessageId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? ThreadId { get; init; }
    public required string Username { get; init; }
    public string? SystemType { get; init; }
    /// <summary>The message in the transcript's own shape (<see cref="Chat.ChatMessage"/> as JSON).</summary>
    public required string Json { get; init; }
}
