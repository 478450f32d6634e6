namespace Incidents.Simulators;

/// <summary>A transcript part as the generic reference receiver stored it.</summary>
public sealed record GenericPart(
    string Id,
    string Receiver,
    string Ticket,
    string Channel,
    int Part,
    int Parts,
    string TranscriptSha256,
    string Sha256,
    string Body,
    string IdempotencyKey,
    DateTimeOffset StoredAt,
    string Url);
