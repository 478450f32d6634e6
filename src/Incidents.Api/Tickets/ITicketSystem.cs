using Incidents.Incidents;

namespace Incidents.Tickets;

/// <summary>
/// A ticket system: how its webhooks are verified and read, and how a transcript is written back into a
/// ticket and found again.
/// </summary>
internal interface ITicketSystem
{
    /// <summary>Route segment and stored source name, e.g. "github".</summary>
    string Source { get; }

    /// <summary>Largest comment body the system accepts, in characters.</summary>
    int MaxCommentLength { get; }

    /// <summary>Checks the webhook's signature over the exact bytes received, in constant time.</summary>
    bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body);

    /// <summary>Reads a verified webhook.</summary>
    WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body);

    /// <summary>Whether a ticket should become an incident (e.g. a label filter).</summary>
    bool IsIncident(TicketSnapshot ticket);

    /// <summary>Comments of the ticket whose body contains <paramref name="marker"/>, oldest first, read page by page.</summary>
    IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, CancellationToken ct);

    Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct);
}

internal sealed record TicketComment(string Id, string Url, string Body);

/// <summary>What a verified webhook means.</summary>
internal abstract record WebhookIntake
{
    /// <summary>A connectivity check (GitHub's ping): answer 200.</summary>
    public sealed record Ping : WebhookIntake;

    /// <summary>An event or action we do not act on: answer 204.</summary>
    public sealed record Ignored(string Reason) : WebhookIntake;

    /// <summary>The body is not what the sender documents: answer 400.</summary>
    public sealed record Malformed(string Reason) : WebhookIntake;

    public sealed record Event(string DeliveryId, string EventName, TicketEvent TicketEvent) : WebhookIntake;
}
