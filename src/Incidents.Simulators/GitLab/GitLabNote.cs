namespace Incidents.Simulators;

/// <summary>Point-in-time copy of a note on a GitLab issue, as stored (after GitLab's quick-action processing).</summary>
public sealed record GitLabNote(
    long Id,
    string ProjectId,
    long IssueIid,
    string Body,
    string Author,
    bool System,
    bool Internal,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
