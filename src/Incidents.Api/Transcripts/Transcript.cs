namespace Incidents.Transcripts;

/// <summary>The transcript of one channel as captured before the channel was removed.</summary>
internal sealed class Transcript
{
    public Guid ChannelId { get; init; }
    public Guid IncidentId { get; init; }
    public int MessageCount { get; init; }
    public int ThreadCount { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>Markdown parts exactly as they are posted to the ticket, markers included.</summary>
    public List<string> MarkdownParts { get; init; } = [];
    public DateTimeOffset CapturedAt { get; init; }
}
