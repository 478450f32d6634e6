using Incidents.Incidents;
using Incidents.Transcripts.Markup;

namespace Incidents.Tickets;

/// <summary>
/// One instance of a ticket system: how its webhooks are verified and read, and how a transcript is written
/// back into a ticket (comments in the system's own markup, plus the transcript file where the system takes
/// attachments) and found again. Implementations never call a URL taken from a payload: every call goes to the
/// instance's configured API base.
/// </summary>
internal interface ITicketSystem
{
    /// <summary>The system and instance this object serves.</summary>
    TicketInstance Instance { get; }

    /// <summary>Route segment(s) and stored source name: "github" (default instance) or "github/acme".</summary>
    string Source => Instance.Source;

    /// <summary>Largest comment body the system accepts, in characters.</summary>
    int MaxCommentLength { get; }

    /// <summary>The markup transcript comments are written in (Markdown, Jira wiki, Textile, HTML, plain text).</summary>
    TicketMarkup Markup { get; }

    /// <summary>Checks the webhook's authenticity over the exact bytes received, in constant time.</summary>
    bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body);

    /// <summary>Reads a verified webhook.</summary>
    WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body);

    /// <summary>Whether a ticket should become an incident (e.g. a label filter).</summary>
    bool IsIncident(TicketSnapshot ticket);

    /// <summary>Comments of the ticket whose body contains <paramref name="marker"/>, oldest first, read page by page.</summary>
    IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, CancellationToken ct);

    /// <summary>Adds a comment (an internal note where the system has them) and returns it as stored.</summary>
    Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct);

    /// <summary>Largest file the system takes as an attachment; 0 when it has no attachment API.</summary>
    long MaxAttachmentBytes => 0;

    /// <summary>Attaches a file to the ticket.</summary>
    Task<TicketAttachment> AttachAsync(string ticketRef, TicketFile file, CancellationToken ct) =>
        throw new NotSupportedException($"{Source} takes no attachments");

    /// <summary>The ticket's attachments named <paramref name="fileName"/>, oldest first.</summary>
    IAsyncEnumerable<TicketAttachment> FindAttachmentsAsync(string ticketRef, string fileName, CancellationToken ct) =>
        AsyncEnumerable.Empty<TicketAttachment>();

    /// <summary>Reads an attachment back (to verify it byte for byte).</summary>
    Task<byte[]> ReadAttachmentAsync(string ticketRef, TicketAttachment attachment, CancellationToken ct) =>
        throw new NotSupportedException($"{Source} takes no attachments");
}

internal sealed record TicketComment(string Id, string Url, string Body);

/// <summary>An attachment on a ticket; <paramref name="Location"/> is whatever the system needs to read it back.</summary>
internal sealed record TicketAttachment(string Id, string FileName, string Location, long Size);

/// <summary>A file to attach; held in memory (attachments are bounded by <see cref="ITicketSystem.MaxAttachmentBytes"/>).</summary>
internal sealed record TicketFile(string FileName, string ContentType, byte[] Content, string Description);

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
