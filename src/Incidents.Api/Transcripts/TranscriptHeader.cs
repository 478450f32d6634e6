namespace Incidents.Transcripts;

/// <summary>What every rendering states up front about the transcript, known once the capture is complete.</summary>
internal sealed record TranscriptHeader(
    string Channel,
    string TicketRef,
    string TicketTitle,
    string TicketUrl,
    int MessageCount,
    int ThreadCount,
    int FileCount,
    DateTimeOffset? First,
    DateTimeOffset? Last,
    IReadOnlyList<string> Participants);

/// <summary>A file of the channel as the transcript links to it (bytes kept by the service or attached to the ticket).</summary>
internal sealed record TranscriptFile(string FileId, string Name, string? ContentType, long Size, string Sha256, string Link);
