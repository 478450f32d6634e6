namespace Incidents.Transcripts;

/// <summary>
/// A large rendering of a transcript ("json" or "html"). Written and read as a stream with plain Npgsql
/// (<see cref="TranscriptBlobs"/>), never loaded through the change tracker.
/// </summary>
internal sealed class TranscriptBlob
{
    public Guid ChannelId { get; init; }
    public required string Format { get; init; }
    public required byte[] Content { get; init; }
}
