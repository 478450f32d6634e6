namespace Incidents.Transcripts;

/// <summary>One Markdown part of a transcript, as it is posted into the ticket (after its marker line).</summary>
internal sealed class TranscriptPart
{
    public Guid ChannelId { get; init; }
    public int Part { get; init; }
    public required string Content { get; init; }
    public required string Sha256 { get; init; }
}
