using System.Text.Json.Nodes;

namespace Incidents.Simulators;

/// <summary>An issue the Jira simulator knows; its comments and attachments are addressed by id or key.</summary>
public sealed record JiraIssue(string Id, string Key, string Summary);

/// <summary>
/// Point-in-time copy of a comment as Jira stores it: wiki markup when it came through API v2, the ADF document
/// (as JSON text, exactly as given) when it came through v3.
/// </summary>
public sealed record JiraComment(long Id, string IssueId, bool IsAdf, string Body, string AuthorAccountId, DateTimeOffset Created, string? Visibility)
{
    /// <summary>The ADF document of a v3 comment; null for a wiki-markup comment.</summary>
    public JsonObject? Adf => IsAdf ? JsonNode.Parse(Body)!.AsObject() : null;

    /// <summary>The comment as wiki markup: as stored, or converted from ADF the way API v2 shows it.</summary>
    public string Wiki => IsAdf ? Jira.JiraDocuments.ToWiki(Adf!) : Body;
}

/// <summary>A file attached to an issue.</summary>
public sealed record JiraAttachment(long Id, string IssueId, string FileName, string MimeType, byte[] Content, string AuthorAccountId, DateTimeOffset Created);
