namespace Incidents.Simulators;

/// <summary>Point-in-time copy of an uploaded file.</summary>
public sealed record FileSnapshot(
    string Id,
    string RoomId,
    string UserId,
    string Name,
    string ContentType,
    long Size,
    bool Confirmed,
    DateTimeOffset UploadedAt,
    string Url);
