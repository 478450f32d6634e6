using System.Globalization;
using System.Runtime.CompilerServices;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts.Markup;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.Redmine;

/// <summary>
/// One Redmine instance: intake by polling (<see cref="RedminePoller"/>) and by the redmine_webhook plugin, transcripts
/// written back as issue notes in the instance's text formatting, plus the HTML transcript as an attachment.
/// </summary>
internal sealed class RedmineTicketSystem : ITicketSystem
{
    private readonly RedmineOptions _options;
    private readonly IHttpContextAccessor _http;

    public RedmineTicketSystem(TicketInstance instance, RedmineOptions options, HttpClient http, TimeProvider time, Telemetry telemetry,
        RedmineDirectory directory, IHttpContextAccessor httpContext)
    {
        Instance = instance;
        _options = options;
        _http = httpContext;
        Directory = directory;
        Client = new RedmineClient(new TicketApi(http, instance, options.Url!, options.Timeout, telemetry, time,
            rest => rest.AddDefaultHeader("X-Redmine-API-Key", options.ApiKey)));
        PublicUrl = (options.PublicUrl ?? options.Url!).ToString().TrimEnd('/') + "/";
        Markup = options.TextFormatting == "textile" ? TextileMarkup.Instance : MarkdownMarkup.Instance;
    }

    public TicketInstance Instance { get; }

    public RedmineOptions Options => _options;

    public RedmineClient Client { get; }

    public RedmineDirectory Directory { get; }

    /// <summary>Base of the issue links people open, with a trailing slash.</summary>
    public string PublicUrl { get; }

    /// <summary>
    /// Redmine sets no limit on notes (PostgreSQL text, MySQL 16 MB), but very long notes are slow to show and a PUT body
    /// passes proxies with ~1 MB limits: 60,000 characters, JSON-escaped, stay below that.
    /// </summary>
    public int MaxCommentLength => 60_000;

    public TicketMarkup Markup { get; }

    public long MaxAttachmentBytes => _options.MaxAttachmentBytes;

    /// <summary>The events of this instance, with what is known now about its statuses and integration user.</summary>
    public RedmineEvents Events => new(Instance.KeyPrefix, PublicUrl, Directory.Statuses, Directory.UserId);

    /// <summary>The plugin signs nothing: its URL carries <c>?token=</c> (or a proxy adds <c>X-Webhook-Token</c>).</summary>
    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var given = headers[RedmineWebhook.TokenHeader].FirstOrDefault();
        if (string.IsNullOrEmpty(given))
        {
            given = _http.HttpContext?.Request.Query[RedmineWebhook.TokenQuery].FirstOrDefault();
        }
        return RedmineWebhook.VerifyToken(_options.WebhookToken, given);
    }

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) => RedmineWebhook.Read(body, Events, _options.Project);

    /// <summary>Every issue the intake lets through is an incident (the project filter applies at intake).</summary>
    public bool IsIncident(TicketSnapshot ticket) => true;

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var id = IssueId(ticketRef);
        var me = await Directory.UserIdAsync(Client, ct);
        var issue = await Client.IssueAsync(id, "journals", ct);
        foreach (var journal in issue.Journals.Where(j => j.User?.Id == me && j.Notes.Contains(marker, StringComparison.Ordinal)).OrderBy(j => j.Id))
        {
            yield return Comment(id, journal);
        }
    }

    /// <summary>PUT answers 204 without the journal, so the note is found again among the issue's journals.</summary>
    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var id = IssueId(ticketRef);
        var me = await Directory.UserIdAsync(Client, ct);
        await Client.AddNotesAsync(id, body, _options.PrivateNotes, ct);
        var issue = await Client.IssueAsync(id, "journals", ct);
        var journal = issue.Journals.Where(j => j.User?.Id == me && j.Notes.ReplaceLineEndings("\n") == body).MaxBy(j => j.Id)
            ?? throw new ExternalCallException("redmine", $"the note added to issue {id} is not among its journals");
        return Comment(id, journal);
    }

    public async Task<TicketAttachment> AttachAsync(string ticketRef, TicketFile file, CancellationToken ct)
    {
        var id = IssueId(ticketRef);
        var token = await Client.UploadAsync(file.Content, file.FileName, ct);
        await Client.AttachAsync(id, token, file.FileName, file.ContentType, file.Description, ct);
        return await FindAttachmentsAsync(ticketRef, file.FileName, ct).LastOrDefaultAsync(ct)
            ?? throw new ExternalCallException("redmine", $"the file attached to issue {id} is not among its attachments");
    }

    public async IAsyncEnumerable<TicketAttachment> FindAttachmentsAsync(string ticketRef, string fileName, [EnumeratorCancellation] CancellationToken ct)
    {
        var me = await Directory.UserIdAsync(Client, ct);
        var issue = await Client.IssueAsync(IssueId(ticketRef), "attachments", ct);
        foreach (var a in issue.Attachments.Where(a => a.FileName == fileName && a.AuthorId == me).OrderBy(a => a.Id))
        {
            yield return new TicketAttachment(a.Id.ToString(CultureInfo.InvariantCulture), a.FileName, a.ContentUrl, a.Size);
        }
    }

    public Task<byte[]> ReadAttachmentAsync(string ticketRef, TicketAttachment attachment, CancellationToken ct) =>
        Client.DownloadAsync(attachment.Location, ct);

    private TicketComment Comment(long issueId, RedmineJournal journal) => new(
        journal.Id.ToString(CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"{PublicUrl}issues/{issueId}#change-{journal.Id}"),
        journal.Notes);

    /// <summary>Ticket refs are "{project name}#{issue id}".</summary>
    private static long IssueId(string ticketRef)
    {
        var hash = ticketRef.LastIndexOf('#');
        return hash >= 0 && long.TryParse(ticketRef.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ExternalCallException("redmine", $"'{ticketRef}' is not a Redmine issue reference (project#id)", permanent: true);
    }
}
