namespace Incidents.Simulators;

/// <summary>Point-in-time copy of an issue comment.</summary>
public sealed record GitHubComment(
    long Id,
    string NodeId,
    string Owner,
    string Repo,
    int IssueNumber,
    string Body,
    string UserLogin,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string HtmlUrl);
