using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts.Markup;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.PagerDuty;

/// <summary>
/// PagerDuty incidents: v3 webhook intake, and incident notes (plain text) as the write-back channel. PagerDuty has no
/// attachment API; the transcript's file links are in the notes.
/// </summary>
internal sealed class PagerDutyTicketSystem : ITicketSystem
{
    /// <summary>The REST API version header PagerDuty documents as required.</summary>
    private const string Accept = "application/vnd.pagerduty+json;version=2";

    private readonly TicketApi _api;
    private readonly PagerDutyOptions _options;
    private readonly string[] _secrets;

    public PagerDutyTicketSystem(TicketInstance instance, PagerDutyOptions options, HttpClient http, TimeProvider time, Telemetry telemetry)
    {
        Instance = instance;
        _options = options;
        _secrets = [options.WebhookSecret, .. options.AdditionalWebhookSecrets];
        _api = new TicketApi(http, instance, options.ApiUrl, options.Timeout, telemetry, time, rest =>
        {
            rest.AddDefaultHeader("Authorization", $"Token token={options.ApiKey}");
            rest.AddDefaultHeader("Accept", Accept);
            // Required for account-level API keys: the user the notes are written as.
            rest.AddDefaultHeader("From", options.FromEmail);
        });
    }

    public TicketInstance Instance { get; }

    /// <summary>PagerDuty documents no note length limit: configurable, 25,000 characters by default.</summary>
    public int MaxCommentLength => _options.MaxCommentLength;

    public TicketMarkup Markup => PlainTextMarkup.Instance;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        PagerDutyWebhook.VerifySignature(_secrets, headers[PagerDutyWebhook.SignatureHeader].ToString(), body);

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        PagerDutyWebhook.Read(Instance.KeyPrefix, _options.IntegrationUserId, headers[PagerDutyWebhook.WebhookIdHeader].FirstOrDefault(), body);

    public bool IsIncident(TicketSnapshot ticket) => true;

    /// <summary>The incident's notes (PagerDuty lists them all at once, newest first) that carry the marker, oldest first.</summary>
    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var id = IncidentId(ticketRef);
        var response = await _api.ExecuteAsync(new RestRequest($"incidents/{id}/notes", Method.Get), ct);
        List<(DateTimeOffset At, int Index, TicketComment Note)> found;
        using (var doc = TicketApi.Json(response))
        {
            var notes = doc.RootElement.GetProperty("notes").EnumerateArray().ToList();
            found = [.. notes
                .Select((n, i) => (Element: n, Index: notes.Count - i))
                .Where(n => Str(n.Element, "content")?.Contains(marker, StringComparison.Ordinal) == true)
                .Select(n => (CreatedAt(n.Element), n.Index, Note(id, n.Element)))];
        }
        foreach (var (_, _, note) in found.OrderBy(f => f.At).ThenBy(f => f.Index))
        {
            yield return note;
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var id = IncidentId(ticketRef);
        var request = new RestRequest($"incidents/{id}/notes", Method.Post).AddJsonBody(new { note = new { content = body } });
        var response = await _api.ExecuteAsync(request, ct);
        using var doc = TicketApi.Json(response);
        return Note(id, doc.RootElement.GetProperty("note"));
    }

    /// <summary>
    /// A note as a comment. Notes have no page of their own; they are shown on the incident's page, whose address is
    /// derived from the note author's web link (<c>https://SUBDOMAIN.pagerduty.com/users/ID</c>). It is only displayed.
    /// </summary>
    private static TicketComment Note(string incidentId, JsonElement note)
    {
        var url = "";
        if (note.TryGetProperty("user", out var user) && Str(user, "html_url") is { } userUrl && Str(user, "id") is { Length: > 0 } userId
            && Uri.TryCreate(userUrl, UriKind.Absolute, out var web) && web.Scheme is "https" or "http" && web.AbsolutePath == $"/users/{userId}")
        {
            url = $"{web.GetLeftPart(UriPartial.Authority)}/incidents/{incidentId}";
        }
        return new TicketComment(Str(note, "id") ?? "", url, Str(note, "content") ?? "");
    }

    private static DateTimeOffset CreatedAt(JsonElement note) =>
        Str(note, "created_at") is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.MinValue;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The ticket reference is the incident id (alphanumeric); anything else is not ours to call.</summary>
    private static string IncidentId(string ticketRef) =>
        ticketRef.Length is > 0 and <= 64 && ticketRef.All(char.IsAsciiLetterOrDigit)
            ? ticketRef
            : throw new ExternalCallException("pagerduty", $"'{ticketRef}' is not a PagerDuty incident id", permanent: true);
}
