namespace Incidents.Simulators.RocketChat;

internal sealed class UploadRecord
{
    public required string Id { get; init; }
    public required string Rid { get; init; }
    public required UserRef User { get; init; }
    public required string Name { get; init; }
    public required string ContentType { get; init; }
    public required byte[] Content { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public bool Confirmed { get; set; }
    public string? Description { get; set; }

    public string Url => $"/file-upload/{Id}/{Uri.EscapeDataString(Name)}";

    public string Format => Path.GetExtension(Name).TrimStart('.').ToLowerInvariant();

    public FileSnapshot ToSnapshot() => new(Id, Rid, User.Id, Name, ContentType, Content.LongLength, Confirmed, UploadedAt, Url);
}
