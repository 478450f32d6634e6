namespace Incidents.Simulators;

/// <summary>A Redmine user of the simulator, with the API key that authenticates as it.</summary>
public sealed record RedmineSimUser(long Id, string Login, string FirstName, string LastName, string ApiKey, bool Admin)
{
    /// <summary>Redmine's default user format, "firstname lastname".</summary>
    public string Name => $"{FirstName} {LastName}";
}

public sealed record RedmineSimProject(long Id, string Identifier, string Name);

public sealed record RedmineSimStatus(int Id, string Name, bool IsClosed);

/// <summary>Point-in-time copy of an issue (times at full precision; the API shows whole seconds).</summary>
public sealed record RedmineIssueSnapshot(
    long Id,
    long ProjectId,
    string Subject,
    string? Description,
    int StatusId,
    long AuthorId,
    DateTimeOffset CreatedOn,
    DateTimeOffset UpdatedOn,
    DateTimeOffset? ClosedOn);

/// <summary>Point-in-time copy of a journal: notes exactly as stored, and what changed.</summary>
public sealed record RedmineJournalSnapshot(long Id, long IssueId, long UserId, string Notes, bool PrivateNotes, DateTimeOffset CreatedOn, IReadOnlyList<RedmineDetailSnapshot> Details);

public sealed record RedmineDetailSnapshot(string Property, string Name, string? OldValue, string? NewValue);

public sealed record RedmineAttachmentSnapshot(long Id, long IssueId, string FileName, string ContentType, string Description, long Size, long AuthorId, DateTimeOffset CreatedOn);

internal sealed class RedmineIssueRecord
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public required string Subject { get; set; }
    public string? Description { get; set; }
    public int StatusId { get; set; }
    public int TrackerId { get; set; } = 1;
    public int PriorityId { get; set; } = 2;
    public long AuthorId { get; init; }
    public long? AssigneeId { get; set; }
    public DateTimeOffset CreatedOn { get; init; }
    public DateTimeOffset UpdatedOn { get; set; }
    public DateTimeOffset? ClosedOn { get; set; }
    public List<RedmineJournalSnapshot> Journals { get; } = [];
    public List<long> AttachmentIds { get; } = [];

    public RedmineIssueSnapshot ToSnapshot() => new(Id, ProjectId, Subject, Description, StatusId, AuthorId, CreatedOn, UpdatedOn, ClosedOn);
}

internal sealed record RedmineAttachmentRecord(long Id, string FileName, string ContentType, string Description, byte[] Content, long AuthorId, DateTimeOffset CreatedOn)
{
    public long IssueId { get; set; }

    public RedmineAttachmentSnapshot ToSnapshot() => new(Id, IssueId, FileName, ContentType, Description, Content.Length, AuthorId, CreatedOn);
}

internal sealed record RedmineUploadRecord(long Id, string Token, string FileName, byte[] Content, long AuthorId);
