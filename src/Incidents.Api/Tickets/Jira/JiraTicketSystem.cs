using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts.Markup;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.Jira;

/// <summary>
/// Jira Cloud and Data Center: admin webhooks in, issue comments (ADF through API v3, wiki markup through v2) and the
/// transcript file as an issue attachment out. Tickets are addressed by issue id, which survives moves between projects.
/// </summary>
internal sealed class JiraTicketSystem : ITicketSystem
{
    /// <summary>
    /// Headroom below the site's character limit. Wiki markup is stored as sent (2,767 leaves room for line endings
    /// stored as CR LF); an ADF comment is counted after Jira converts it, which adds code-block tags and may escape
    /// characters, so it keeps more.
    /// </summary>
    private const int WikiHeadroom = 2_767;
    private const int AdfHeadroom = 6_767;

    /// <summary>Comments per page when transcript parts are looked for; each may be ~30 KB.</summary>
    private const int PageSize = 20;

    private readonly TicketApi _api;
    private readonly JiraOptions _options;
    private readonly JiraSite _site;
    private readonly string _rest;

    public JiraTicketSystem(TicketInstance instance, JiraOptions options, HttpClient http, TimeProvider time, Telemetry telemetry)
    {
        Instance = instance;
        _options = options;
        _rest = $"rest/api/{options.ApiVersion.ToString(CultureInfo.InvariantCulture)}";
        _api = new TicketApi(http, instance, options.SiteUrl!, options.Timeout, telemetry, time, rest =>
        {
            rest.AddDefaultHeader("Authorization", options.IsCloud
                ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Email}:{options.ApiToken}"))
                : "Bearer " + options.PersonalAccessToken);
            rest.AddDefaultHeader("Accept", "application/json");
        });
        _site = new JiraSite(instance.KeyPrefix, _api.BaseUrl, options.IntegrationUser, new JiraIssueFilter(options.ProjectKeys, options.IssueTypes));
    }

    public TicketInstance Instance { get; }

    public int MaxCommentLength => _options.CharacterLimit - (IsAdf ? AdfHeadroom : WikiHeadroom);

    public TicketMarkup Markup => IsAdf ? JiraAdfMarkup.Instance : JiraWikiMarkup.Instance;

    public long MaxAttachmentBytes => _options.MaxAttachmentBytes;

    private bool IsAdf => _options.ApiVersion == 3;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        JiraWebhook.VerifySignature(_options.WebhookSecret, headers["X-Hub-Signature"].FirstOrDefault(), body);

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        JiraWebhook.Read(_site, headers["X-Atlassian-Webhook-Identifier"].FirstOrDefault(), body);

    public bool IsIncident(TicketSnapshot ticket) => JiraIssueFilter.Allows(ticket);

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var issue = IssueId(ticketRef);
        var startAt = 0;
        while (true)
        {
            var response = await _api.ExecuteAsync(new RestRequest($"{_rest}/issue/{issue}/comment?startAt={startAt}&maxResults={PageSize}&orderBy=created", Method.Get), ct);
            List<TicketComment> page;
            int count, total;
            using (var doc = TicketApi.Json(response))
            {
                var comments = doc.RootElement.GetProperty("comments");
                count = comments.GetArrayLength();
                total = doc.RootElement.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : 0;
                page = [.. comments.EnumerateArray().Select(c => Comment(issue, c)).Where(c => c.Body.Contains(marker, StringComparison.Ordinal))];
            }
            foreach (var comment in page)
            {
                yield return comment;
            }
            startAt += count;
            if (count == 0 || startAt >= total)
            {
                yield break;
            }
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var issue = IssueId(ticketRef);
        var json = new JsonObject { ["body"] = IsAdf ? JiraAdf.FromText(body) : body };
        if (_options.CommentVisibility.Split(':', 2) is [var type, var value])
        {
            json["visibility"] = new JsonObject { ["type"] = type, ["value"] = value };
        }
        var request = new RestRequest($"{_rest}/issue/{issue}/comment", Method.Post).AddStringBody(json.ToJsonString(), ContentType.Json);
        var response = await _api.ExecuteAsync(request, ct);
        using var doc = TicketApi.Json(response);
        return Comment(issue, doc.RootElement);
    }

    public async Task<TicketAttachment> AttachAsync(string ticketRef, TicketFile file, CancellationToken ct)
    {
        var issue = IssueId(ticketRef);
        var request = new RestRequest($"{_rest}/issue/{issue}/attachments", Method.Post) { AlwaysMultipartFormData = true }
            .AddHeader("X-Atlassian-Token", "no-check")
            .AddFile("file", file.Content, file.FileName, file.ContentType);
        var response = await _api.ExecuteAsync(request, ct);
        using var doc = TicketApi.Json(response, "[]");
        return doc.RootElement.EnumerateArray().Select(Attachment).FirstOrDefault()
            ?? throw new ExternalCallException("jira", "the attachment upload answered no attachment", permanent: true);
    }

    public async IAsyncEnumerable<TicketAttachment> FindAttachmentsAsync(string ticketRef, string fileName, [EnumeratorCancellation] CancellationToken ct)
    {
        var issue = IssueId(ticketRef);
        var response = await _api.ExecuteAsync(new RestRequest($"{_rest}/issue/{issue}?fields=attachment", Method.Get), ct);
        List<(string Created, TicketAttachment Attachment)> found;
        using (var doc = TicketApi.Json(response))
        {
            found = [.. JiraJson.Array(JiraJson.Child(doc.RootElement, "fields"), "attachment")
                .Where(a => JiraJson.Str(a, "filename") == fileName).Select(a => (JiraJson.Str(a, "created") ?? "", Attachment(a)))];
        }
        // Oldest first: by creation time, then by id (ids grow).
        foreach (var (_, attachment) in found.OrderBy(f => f.Created, StringComparer.Ordinal).ThenBy(f => f.Attachment.Id.Length).ThenBy(f => f.Attachment.Id, StringComparer.Ordinal))
        {
            yield return attachment;
        }
    }

    public async Task<byte[]> ReadAttachmentAsync(string ticketRef, TicketAttachment attachment, CancellationToken ct)
    {
        var response = await _api.ExecuteAsync(new RestRequest(attachment.Location, Method.Get), ct);
        return response.RawBytes ?? [];
    }

    /// <summary>
    /// Where an attachment's bytes are read: Cloud's REST content endpoint (without the redirect to the media service),
    /// Data Center's download path. Both are built from the id under the configured site, never taken from an answer.
    /// </summary>
    private TicketAttachment Attachment(JsonElement a)
    {
        var id = JiraJson.Id(a, "attachment.id");
        var name = JiraJson.Str(a, "filename") ?? "";
        var location = _options.IsCloud ? $"{_rest}/attachment/content/{id}?redirect=false" : $"secure/attachment/{id}/{Uri.EscapeDataString(name)}";
        var size = a.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : 0;
        return new TicketAttachment(id, name, location, size);
    }

    /// <summary>A comment as text: wiki markup as stored (v2), or the ADF document converted back exactly (v3).</summary>
    private TicketComment Comment(string issue, JsonElement c)
    {
        var id = JiraJson.Id(c, "comment.id");
        var body = c.TryGetProperty("body", out var b) ? b.ValueKind switch
        {
            JsonValueKind.String => b.GetString()!,
            JsonValueKind.Object => JiraAdf.ToText(b),
            _ => "",
        } : "";
        return new TicketComment(id, _site.CommentLink(null, issue, id), body);
    }

    private static string IssueId(string ticketRef) =>
        JiraJson.IsId(ticketRef) ? ticketRef : throw new ExternalCallException("jira", $"'{ticketRef}' is not a Jira issue id", permanent: true);
}
