using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.Zammad;

/// <summary>
/// Zammad: trigger webhooks in, internal note articles out (<c>POST /api/v1/ticket_articles</c>, HTML), the transcript
/// file as an attachment of a note, both found again through <c>GET /api/v1/ticket_articles/by_ticket/{id}</c>.
/// </summary>
internal sealed class ZammadTicketSystem : ITicketSystem
{
    private readonly TicketApi _api;
    private readonly ZammadOptions _options;
    private readonly ZammadSettings _settings;
    private readonly HashSet<string> _groups;

    public ZammadTicketSystem(TicketInstance instance, ZammadOptions options, HttpClient http, TimeProvider time, Telemetry telemetry)
    {
        Instance = instance;
        _options = options;
        _settings = new ZammadSettings(instance.KeyPrefix, options);
        _groups = new HashSet<string>(ZammadSettings.List(options.Groups), StringComparer.OrdinalIgnoreCase);
        Markup = new HtmlMarkup($"{_settings.WebUrl}/#");
        _api = new TicketApi(http, instance, new Uri($"{_settings.WebUrl}/api/v1/"), options.Timeout, telemetry, time, rest =>
        {
            rest.AddDefaultHeader("Authorization", $"Token token={options.Token}");
            rest.AddDefaultHeader("Accept", "application/json");
        });
    }

    public TicketInstance Instance { get; }

    /// <summary>Zammad refuses article bodies over 1,500,000 characters; the configured limit stays below.</summary>
    public int MaxCommentLength => _options.MaxArticleLength;

    public TicketMarkup Markup { get; }

    public long MaxAttachmentBytes => _options.MaxAttachmentBytes;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        ZammadWebhook.VerifySignature(_options.WebhookToken, headers["X-Hub-Signature"].FirstOrDefault(), body)
        && ZammadWebhook.VerifyAuthorization(_options, headers.Authorization.FirstOrDefault());

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        ZammadWebhook.Read(_settings, headers["X-Zammad-Trigger"].FirstOrDefault(), headers["X-Zammad-Delivery"].FirstOrDefault(), body);

    public bool IsIncident(TicketSnapshot ticket) =>
        _groups.Count == 0 || ticket.Labels.Any(_groups.Contains);

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        // by_ticket answers every article of the ticket in one list (Zammad does not page it).
        foreach (var comment in await ArticlesAsync(ticketRef, a => Str(a, "body") is { } body && body.Contains(marker, StringComparison.Ordinal)
                     ? Comment(ticketRef, a) : null, ct))
        {
            yield return comment;
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var parsed = TranscriptMarker.TryParse(body, Markup);
        var subject = parsed is null ? "Chat transcript" : string.Create(CultureInfo.InvariantCulture, $"Chat transcript (part {parsed.Part} of {parsed.Parts})");
        using var doc = await PostArticleAsync(ticketRef, subject, body, null, ct);
        return Comment(ticketRef, doc.RootElement);
    }

    public async Task<TicketAttachment> AttachAsync(string ticketRef, TicketFile file, CancellationToken ct)
    {
        // The note's text carries the service's marker, so its echo is recognised like a transcript part's.
        var body = $"<p>{HtmlText.Escape(file.Description)}: {HtmlText.Escape(file.FileName)} ({ZammadWebhook.OwnMarker} file)</p>";
        var attachment = new Dictionary<string, string>
        {
            ["filename"] = file.FileName,
            ["data"] = Convert.ToBase64String(file.Content),
            ["mime-type"] = file.ContentType,
        };
        using var doc = await PostArticleAsync(ticketRef, "Chat transcript file", body, attachment, ct);
        var article = doc.RootElement;
        return Attachments(article).FirstOrDefault(a => a.FileName == file.FileName)
            ?? throw new ExternalCallException("zammad", $"the article created for {file.FileName} has no such attachment");
    }

    public async IAsyncEnumerable<TicketAttachment> FindAttachmentsAsync(string ticketRef, string fileName, [EnumeratorCancellation] CancellationToken ct)
    {
        var found = await ArticlesAsync(ticketRef, a => Attachments(a).Where(f => f.FileName == fileName).ToList(), ct);
        foreach (var attachment in found.SelectMany(f => f))
        {
            yield return attachment;
        }
    }

    public async Task<byte[]> ReadAttachmentAsync(string ticketRef, TicketAttachment attachment, CancellationToken ct)
    {
        var response = await _api.ExecuteAsync(new RestRequest($"ticket_attachment/{TicketId(ticketRef)}/{attachment.Location}", Method.Get), ct);
        return response.RawBytes ?? [];
    }

    private async Task<JsonDocument> PostArticleAsync(string ticketRef, string subject, string body, Dictionary<string, string>? attachment, CancellationToken ct)
    {
        var article = new Dictionary<string, object>
        {
            ["ticket_id"] = long.Parse(TicketId(ticketRef), CultureInfo.InvariantCulture),
            ["type"] = "note",
            ["internal"] = true,
            ["sender"] = "Agent",
            ["subject"] = subject,
            ["content_type"] = "text/html",
            ["body"] = body,
        };
        if (attachment is not null)
        {
            article["attachments"] = new[] { attachment };
        }
        var response = await _api.ExecuteAsync(new RestRequest("ticket_articles", Method.Post).AddJsonBody(article), ct);
        return TicketApi.Json(response);
    }

    /// <summary>Every article of the ticket, each mapped to a result (null: skipped), in Zammad's order (oldest first).</summary>
    private async Task<List<T>> ArticlesAsync<T>(string ticketRef, Func<JsonElement, T?> map, CancellationToken ct) where T : class
    {
        var response = await _api.ExecuteAsync(new RestRequest($"ticket_articles/by_ticket/{TicketId(ticketRef)}", Method.Get), ct);
        using var doc = TicketApi.Json(response, "[]");
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new ExternalCallException("zammad", "ticket_articles/by_ticket did not answer a list of articles", permanent: true);
        }
        return [.. doc.RootElement.EnumerateArray().Select(map).OfType<T>()];
    }

    private TicketComment Comment(string ticketRef, JsonElement article)
    {
        var id = article.GetProperty("id").GetRawText();
        return new TicketComment(id, $"{_settings.WebUrl}/#ticket/zoom/{TicketId(ticketRef)}/{id}", Str(article, "body") ?? "");
    }

    /// <summary>An article's attachments; their location is "{article id}/{attachment id}", the tail of the download path.</summary>
    private static IEnumerable<TicketAttachment> Attachments(JsonElement article)
    {
        if (!article.TryGetProperty("attachments", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        var articleId = article.GetProperty("id").GetRawText();
        foreach (var a in list.EnumerateArray())
        {
            var id = a.GetProperty("id").GetRawText();
            var size = a.TryGetProperty("size", out var s) ? s.ValueKind == JsonValueKind.Number ? s.GetInt64()
                : long.TryParse(s.GetString(), CultureInfo.InvariantCulture, out var n) ? n : 0 : 0;
            yield return new TicketAttachment(id, Str(a, "filename") ?? "", $"{articleId}/{id}", size);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The ticket reference is Zammad's ticket id.</summary>
    private static string TicketId(string ticketRef) =>
        long.TryParse(ticketRef, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? ticketRef
            : throw new ExternalCallException("zammad", $"'{ticketRef}' is not a Zammad ticket id", permanent: true);
}
