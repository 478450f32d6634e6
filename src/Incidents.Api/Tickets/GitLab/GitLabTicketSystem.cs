using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts.Markup;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.GitLab;

/// <summary>
/// GitLab issues and incidents: webhook intake, internal notes as the write-back channel and the project's Markdown
/// uploads for the transcript file (linked from a note so it shows on the issue). Every call goes to the configured
/// API base with the instance's token.
/// </summary>
internal sealed class GitLabTicketSystem : ITicketSystem
{
    /// <summary>Notes per page: transcript notes can be a megabyte each, and only one page is held at a time.</summary>
    private const int NotesPerPage = 20;

    private readonly TicketApi _api;
    private readonly GitLabOptions _options;
    private readonly GitLabFilter _filter;
    private readonly byte[]? _signingKey;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _issueUrls = new(StringComparer.Ordinal);

    public GitLabTicketSystem(TicketInstance instance, GitLabOptions options, HttpClient http, TimeProvider time, Telemetry telemetry)
    {
        Instance = instance;
        _options = options;
        _time = time;
        _filter = new GitLabFilter(options.BotUsername, options.IncidentsOnly);
        _signingKey = GitLabSignature.Key(options.SigningToken);
        // Authorization rather than PRIVATE-TOKEN: HttpClient drops it when GitLab answers an upload download with a
        // redirect to object storage, where a custom header would follow the redirect and hand the token to the store.
        _api = new TicketApi(http, instance, options.ApiUrl, options.Timeout, telemetry, time,
            rest => rest.AddDefaultHeader("Authorization", $"Bearer {options.Token}"));
    }

    public TicketInstance Instance { get; }

    /// <summary>GitLab refuses notes over 1,000,000 characters ("Note is too long"); stay below it, end marker included.</summary>
    public int MaxCommentLength => 990_000;

    public TicketMarkup Markup => GitLabMarkup.Instance;

    public long MaxAttachmentBytes => _options.MaxAttachmentBytes;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        GitLabSignature.TokenMatches(_options.WebhookSecret, headers["X-Gitlab-Token"].FirstOrDefault())
        && (_signingKey is null || GitLabSignature.SignatureMatches(_signingKey, headers["webhook-id"].FirstOrDefault(),
            headers["webhook-timestamp"].FirstOrDefault(), headers["webhook-signature"].FirstOrDefault(), body, _time.GetUtcNow()));

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        GitLabWebhook.Read(Instance.KeyPrefix, _filter, headers["X-Gitlab-Event"].FirstOrDefault(),
            GitLabWebhook.DeliveryId(headers["Idempotency-Key"].FirstOrDefault(), headers["X-Gitlab-Event-UUID"].FirstOrDefault(), body.Span), body);

    public bool IsIncident(TicketSnapshot ticket) =>
        string.IsNullOrEmpty(_options.Label) || ticket.Labels.Contains(_options.Label, StringComparer.OrdinalIgnoreCase);

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var issue = IssuePath(ticketRef);
        string? webUrl = null;
        await foreach (var note in NotesAsync(issue, ct))
        {
            if (note.Body.Contains(marker, StringComparison.Ordinal))
            {
                webUrl ??= await IssueWebUrlAsync(issue, ct);
                yield return new TicketComment(note.Id, $"{webUrl}#note_{note.Id}", GitLabNoteBody.Decode(note.Body));
            }
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var issue = IssuePath(ticketRef);
        var note = await PostNoteAsync(issue, GitLabNoteBody.Encode(body), ct);
        return new TicketComment(note.Id, $"{await IssueWebUrlAsync(issue, ct)}#note_{note.Id}", GitLabNoteBody.Decode(note.Body));
    }

    public async Task<TicketAttachment> AttachAsync(string ticketRef, TicketFile file, CancellationToken ct)
    {
        var issue = IssuePath(ticketRef);
        var upload = new RestRequest($"{issue.Project}/uploads", Method.Post) { AlwaysMultipartFormData = true }
            .AddFile("file", file.Content, file.FileName, file.ContentType);
        var uploaded = await _api.ExecuteAsync(upload, ct);
        string markdown;
        string url;
        using (var doc = TicketApi.Json(uploaded))
        {
            markdown = doc.RootElement.GetProperty("markdown").GetString() ?? "";
            url = doc.RootElement.GetProperty("url").GetString() ?? "";
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(file.Content));
        await PostNoteAsync(issue, GitLabNoteBody.Attachment(file.Description, markdown, file.Content.LongLength, sha), ct);
        return GitLabNoteBody.UploadOf(url) is { } stored
            ? new TicketAttachment(stored.Secret, stored.FileName, $"{stored.Secret}/{stored.FileName}", file.Content.LongLength)
            : throw new ExternalCallException(Instance.System, $"the upload answered an unexpected url '{url}'", permanent: true);
    }

    public async IAsyncEnumerable<TicketAttachment> FindAttachmentsAsync(string ticketRef, string fileName, [EnumeratorCancellation] CancellationToken ct)
    {
        var stored = GitLabNoteBody.StoredFileName(fileName);
        await foreach (var note in NotesAsync(IssuePath(ticketRef), ct))
        {
            foreach (var (secret, name, size) in GitLabNoteBody.Uploads(note.Body).Where(u => u.FileName == stored))
            {
                yield return new TicketAttachment(secret, name, $"{secret}/{name}", size);
            }
        }
    }

    public async Task<byte[]> ReadAttachmentAsync(string ticketRef, TicketAttachment attachment, CancellationToken ct)
    {
        var issue = IssuePath(ticketRef);
        var slash = attachment.Location.IndexOf('/', StringComparison.Ordinal);
        if (slash != 32 || !attachment.Location[..32].All(char.IsAsciiHexDigitLower))
        {
            throw new ExternalCallException(Instance.System, $"'{attachment.Location}' is not an upload secret and file name", permanent: true);
        }
        var resource = $"{issue.Project}/uploads/{attachment.Location[..32]}/{Uri.EscapeDataString(attachment.Location[(slash + 1)..])}";
        var response = await _api.ExecuteAsync(new RestRequest(resource, Method.Get), ct);
        return response.RawBytes ?? [];
    }

    /// <summary>The issue's human-written notes (system notes left out), oldest first, page by page.</summary>
    private async IAsyncEnumerable<Note> NotesAsync(IssuePaths issue, [EnumeratorCancellation] CancellationToken ct)
    {
        var resource = $"{issue.Notes}?sort=asc&order_by=created_at&activity_filter=only_comments&per_page={NotesPerPage}";
        string? next = resource + "&page=1";
        var page = 1;
        while (next is not null)
        {
            var response = await _api.ExecuteAsync(new RestRequest(next, Method.Get), ct);
            List<Note> notes;
            using (var doc = TicketApi.Json(response, "[]"))
            {
                notes = [.. doc.RootElement.EnumerateArray().Select(ReadNote)
                    .Where(n => !n.System && (string.IsNullOrEmpty(_options.BotUsername) || string.Equals(n.Author, _options.BotUsername, StringComparison.OrdinalIgnoreCase)))];
            }
            foreach (var note in notes)
            {
                yield return note;
            }
            // X-Next-Page names the page (and is empty on the last one); Link is the fallback for proxies that drop it.
            var nextPage = RateLimit.Header(response, "X-Next-Page");
            if (nextPage is not null)
            {
                next = int.TryParse(nextPage, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > page ? $"{resource}&page={k}" : null;
                page = k;
            }
            else
            {
                next = _api.NextPage(response);
                page++;
            }
        }
    }

    private async Task<Note> PostNoteAsync(IssuePaths issue, string body, CancellationToken ct)
    {
        var request = new RestRequest(issue.Notes, Method.Post).AddJsonBody(new { body, @internal = true });
        var response = await _api.ExecuteAsync(request, ct);
        using var doc = TicketApi.Json(response);
        // 202 with only commands_changes: GitLab took the whole note as quick actions and stored nothing.
        return doc.RootElement.TryGetProperty("id", out _)
            ? ReadNote(doc.RootElement)
            : throw new ExternalCallException(Instance.System, "GitLab read the note as quick actions only and did not store it", permanent: true);
    }

    /// <summary>The issue's web address, asked once per issue (notes carry no URL of their own).</summary>
    private async Task<string> IssueWebUrlAsync(IssuePaths issue, CancellationToken ct)
    {
        if (_issueUrls.TryGetValue(issue.Issue, out var known))
        {
            return known;
        }
        var response = await _api.ExecuteAsync(new RestRequest(issue.Issue, Method.Get), ct);
        using var doc = TicketApi.Json(response);
        var url = doc.RootElement.TryGetProperty("web_url", out var w) ? w.GetString() ?? "" : "";
        _issueUrls[issue.Issue] = url;
        return url;
    }

    private static Note ReadNote(JsonElement n) => new(
        n.GetProperty("id").GetRawText(),
        n.TryGetProperty("body", out var body) ? body.GetString() ?? "" : "",
        n.TryGetProperty("author", out var author) && author.TryGetProperty("username", out var u) ? u.GetString() : null,
        n.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.True);

    /// <summary>API paths of the issue a ticket reference (<c>{project id}#{issue iid}</c>) names.</summary>
    private IssuePaths IssuePath(string ticketRef)
    {
        var hash = ticketRef.IndexOf('#', StringComparison.Ordinal);
        if (hash <= 0 || !ticketRef[..hash].All(char.IsAsciiDigit) || hash == ticketRef.Length - 1 || !ticketRef[(hash + 1)..].All(char.IsAsciiDigit))
        {
            throw new ExternalCallException(Instance.System, $"'{ticketRef}' is not project-id#issue-iid", permanent: true);
        }
        var project = $"projects/{ticketRef[..hash]}";
        var issue = $"{project}/issues/{ticketRef[(hash + 1)..]}";
        return new IssuePaths(project, issue, $"{issue}/notes");
    }

    private sealed record IssuePaths(string Project, string Issue, string Notes);

    private sealed record Note(string Id, string Body, string? Author, bool System);
}
