namespace Incidents.Incidents;

/// <summary>A ticket system's webhook, normalised: what happened to which ticket, and when.</summary>
internal sealed record TicketEvent(TicketEventKind Kind, TicketSnapshot Ticket, DateTimeOffset OccurredAt, string? Actor, string? Text = null);

internal enum TicketEventKind
{
    Opened,
    Updated,
    Commented,
    Closed,
    Reopened,
    /// <summary>Deleted or moved away: the ticket will never close through us, so treat it as closed.</summary>
    Gone,
}

/// <summary>The ticket as the event describes it.</summary>
/// <param name="Key">Canonical, stable key, unique per source (e.g. "github:1296269:1347").</param>
/// <param name="Ref">Write-back address understood by the source's ticket system (e.g. "octocat/Hello-World#1347").</param>
internal sealed record TicketSnapshot(
    string Key,
    string Ref,
    string Title,
    string Url,
    string Author,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Assignees,
    string? Body,
    bool IsOpen,
    DateTimeOffset CreatedAt);
