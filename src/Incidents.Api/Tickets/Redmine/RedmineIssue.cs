namespace Incidents.Tickets.Redmine;

/// <summary>A Redmine issue as the REST API (<c>GET /issues/{id}.json</c>) or the redmine_webhook plugin describes it.</summary>
internal sealed record RedmineIssue(
    long Id,
    long ProjectId,
    string ProjectName,
    string? ProjectIdentifier,
    string Subject,
    string? Description,
    int StatusId,
    string? StatusName,
    bool? StatusIsClosed,
    string? Tracker,
    string? Priority,
    string? Category,
    RedmineUser? Author,
    RedmineUser? Assignee,
    DateTimeOffset CreatedOn,
    DateTimeOffset UpdatedOn,
    IReadOnlyList<RedmineJournal> Journals,
    IReadOnlyList<RedmineAttachment> Attachments);

internal sealed record RedmineUser(long Id, string Name);

/// <summary>One change of an issue: notes and/or attribute changes by one user at one time. Journal ids only grow.</summary>
internal sealed record RedmineJournal(long Id, RedmineUser? User, string Notes, bool PrivateNotes, DateTimeOffset CreatedOn, IReadOnlyList<RedmineDetail> Details)
{
    /// <summary>The status change of this journal, if any.</summary>
    public RedmineDetail? StatusChange => Details.FirstOrDefault(d => d is { Property: "attr", Name: "status_id" });
}

/// <summary>One changed property of a journal ("attr" subject/status_id/…, "cf", "attachment", "relation").</summary>
internal sealed record RedmineDetail(string Property, string Name, string? OldValue, string? NewValue);

internal sealed record RedmineAttachment(long Id, string FileName, long Size, string ContentUrl, long? AuthorId);

/// <summary>An issue status; <see cref="IsClosed"/> decides whether a status change closes or reopens.</summary>
internal sealed record RedmineStatus(int Id, string Name, bool IsClosed);
