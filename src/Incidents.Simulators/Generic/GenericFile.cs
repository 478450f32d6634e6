namespace Incidents.Simulators;

/// <summary>A transcript file as the generic reference receiver stored it.</summary>
public sealed record GenericFile(
    string Id,
    string Receiver,
    string Ticket,
    string FileName,
    string ContentType,
    string? Description,
    byte[] Content,
    string Sha256,
    string IdempotencyKey,
    DateTimeOffset StoredAt,
    string Url);
