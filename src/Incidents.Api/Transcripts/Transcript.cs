namespace Incidents.Transcripts;

/// <summary>
/// The rendered transcript of one channel: counts, manifest, the canonical JSON and the standalone HTML.
/// Its Markdown parts are <see cref="TranscriptPart"/> rows; its files are <see cref="CapturedFile"/> rows.
/// </summary>
internal sealed class Transcript
{
    public Guid ChannelId { get; init; }
    public Guid IncidentId { get; init; }
    public int MessageCount { get; init; }
    public int ThreadCount { get; init; }
    public int FileCount { get; init; }
    public int PartCount { get; init; }
    /// <summary>SHA-256 of the canonical JSON bytes: the transcript's identity.</summary>
    public required string Sha256 { get; init; }
    public required string ManifestJson { get; init; }
    public long JsonBytes { get; init; }
    public long HtmlBytes { get; init; }
    public DateTimeOffset CapturedAt { get; init; }
}
