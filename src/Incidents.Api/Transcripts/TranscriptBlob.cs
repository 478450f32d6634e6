namespace Incidents.Transcripts;

/// <summary>
/// One chunk of a large rendering of a transcript ("json" or "html"). Renderings are stored as 1 MiB chunks,
/// written and read in order as a stream with plain Npgsql (<see cref="TranscriptBlobs"/>), so neither the
/// service nor the driver ever holds a whole rendering in memory.
/// </summary>
internal sealed class TranscriptBlob
{
    public Guid ChannelId { get; init; }
    public required string Format { get; init; }
    public int Chunk { get; init; }
    public required byte[] Content { get; init; }
}
