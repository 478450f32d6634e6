using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Web;
using Microsoft.Extensions.Options;
using RestSharp;

namespace Incidents.Tickets.GitHub;

/// <summary>GitHub Issues: webhook intake and issue comments as the write-back channel.</summary>
internal sealed class GitHubTicketSystem : ITicketSystem
{
    private const string System = "github";
    private readonly Lazy<RestClient> _rest;
    private readonly GitHubOptions _options;
    private readonly TimeProvider _time;

    private readonly Telemetry _telemetry;

    public GitHubTicketSystem(HttpClient http, IOptions<GitHubOptions> options, TimeProvider time, Telemetry telemetry)
    {
        _telemetry = telemetry;
        _options = options.Value;
        _time = time;
        // Webhook requests only verify and read; the REST client is built when a write-back needs it.
        _rest = new Lazy<RestClient>(() =>
        {
            var rest = new RestClient(http, new RestClientOptions(_options.ApiUrl.ToString().TrimEnd('/') + "/") { ThrowOnAnyError = false, Timeout = _options.Timeout }, disposeHttpClient: false);
            rest.AddDefaultHeader("Authorization", $"Bearer {_options.Token}");
            rest.AddDefaultHeader("Accept", "application/vnd.github+json");
            rest.AddDefaultHeader("X-GitHub-Api-Version", "2022-11-28");
            return rest;
        });
    }

    public string Source => System;

    /// <summary>GitHub's documented limit is 65,536 characters; stay a little below it.</summary>
    public int MaxCommentLength => 65_000;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        GitHubWebhook.VerifySignature(_options.WebhookSecret, headers["X-Hub-Signature-256"].FirstOrDefault(), body);

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        GitHubWebhook.Read(headers["X-GitHub-Event"].FirstOrDefault(), headers["X-GitHub-Delivery"].FirstOrDefault(), body);

    public bool IsIncident(TicketSnapshot ticket) =>
        string.IsNullOrEmpty(_options.Label) || ticket.Labels.Contains(_options.Label, StringComparer.OrdinalIgnoreCase);

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var (owner, repo, number) = Parse(ticketRef);
        // Small pages: transcript comments are up to 65 KB each, and only one page is held at a time.
        string? next = $"repos/{owner}/{repo}/issues/{number}/comments?per_page=20";
        while (next is not null)
        {
            var response = await ExecuteAsync(new RestRequest(next, Method.Get), ct);
            List<TicketComment> page;
            using (var doc = response.RawBytes is { Length: > 0 } raw ? JsonDocument.Parse(raw) : JsonDocument.Parse("[]"))
            {
                page = [.. doc.RootElement.EnumerateArray().Select(Comment).Where(c => c.Body.Contains(marker, StringComparison.Ordinal))];
            }
            foreach (var comment in page)
            {
                yield return comment;
            }
            next = NextPage(response);
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var (owner, repo, number) = Parse(ticketRef);
        var request = new RestRequest($"repos/{owner}/{repo}/issues/{number}/comments", Method.Post).AddJsonBody(new { body });
        var response = await ExecuteAsync(request, ct);
        using var doc = JsonDocument.Parse(response.Content ?? "{}");
        return Comment(doc.RootElement);
    }

    private static TicketComment Comment(JsonElement c) => new(
        c.GetProperty("id").GetRawText(),
        c.TryGetProperty("html_url", out var url) ? url.GetString() ?? "" : "",
        c.TryGetProperty("body", out var body) ? body.GetString() ?? "" : "");

    /// <summary>
    /// Follows <c>Link: rel="next"</c>, but only within the configured API base: a URL taken from a response is
    /// never trusted to point somewhere else.
    /// </summary>
    private string? NextPage(RestResponse response)
    {
        var link = RateLimit.Header(response, "Link");
        if (link is null)
        {
            return null;
        }
        foreach (var part in link.Split(','))
        {
            var segments = part.Split(';');
            if (segments.Length < 2 || !segments.Skip(1).Any(s => s.Trim() == "rel=\"next\""))
            {
                continue;
            }
            var url = segments[0].Trim().TrimStart('<').TrimEnd('>');
            var baseUrl = _options.ApiUrl.ToString().TrimEnd('/') + "/";
            return url.StartsWith(baseUrl, StringComparison.OrdinalIgnoreCase)
                ? url[baseUrl.Length..]
                : throw new ExternalCallException(System, "pagination link points outside the configured API base", permanent: true);
        }
        return null;
    }

    private async Task<RestResponse> ExecuteAsync(RestRequest request, CancellationToken ct)
    {
        var response = await _rest.Value.ExecuteAsync(request, ct);
        var status = (int)response.StatusCode;
        _telemetry.ApiCall(System, status);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        if (status == 0)
        {
            throw new ExternalCallException(System, $"{request.Method} {request.Resource} failed: {response.ErrorMessage}");
        }
        // GitHub signals both primary and secondary rate limits with 403 or 429.
        var exhausted = RateLimit.Header(response, "X-RateLimit-Remaining") == "0" || RateLimit.Header(response, "Retry-After") is not null;
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (response.StatusCode == HttpStatusCode.Forbidden && exhausted))
        {
            throw new ExternalCallException(System, $"{request.Method} {request.Resource} rate limited", status, RateLimit.ResetAt(response, _time.GetUtcNow()));
        }
        var message = Message(response.Content);
        var permanent = status is 400 or 404 or 410 or 422;
        throw new ExternalCallException(System, $"{request.Method} {request.Resource} answered HTTP {status}: {message}", status, permanent: permanent);
    }

    private static string Message(string? content)
    {
        try
        {
            using var doc = JsonDocument.Parse(content ?? "");
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static (string Owner, string Repo, string Number) Parse(string ticketRef)
    {
        var hash = ticketRef.LastIndexOf('#');
        var slash = ticketRef.IndexOf('/', StringComparison.Ordinal);
        if (hash < 0 || slash < 0 || slash > hash)
        {
            throw new ExternalCallException(System, $"'{ticketRef}' is not owner/repo#number", permanent: true);
        }
        return (Uri.EscapeDataString(ticketRef[..slash]), Uri.EscapeDataString(ticketRef[(slash + 1)..hash]), ticketRef[(hash + 1)..]);
    }
}
