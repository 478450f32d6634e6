using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts.Markup;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets.GitHub;

/// <summary>GitHub Issues: webhook intake and issue comments as the write-back channel (GitHub has no attachment API).</summary>
internal sealed class GitHubTicketSystem : ITicketSystem
{
    private readonly TicketApi _api;
    private readonly GitHubOptions _options;

    public GitHubTicketSystem(TicketInstance instance, GitHubOptions options, HttpClient http, TimeProvider time, Telemetry telemetry)
    {
        Instance = instance;
        _options = options;
        _api = new TicketApi(http, instance, options.ApiUrl, options.Timeout, telemetry, time, rest =>
        {
            rest.AddDefaultHeader("Authorization", $"Bearer {options.Token}");
            rest.AddDefaultHeader("Accept", "application/vnd.github+json");
            rest.AddDefaultHeader("X-GitHub-Api-Version", "2022-11-28");
        })
        {
            // GitHub signals its primary and secondary rate limits with 403 as well as 429.
            IsRateLimited = r => r.StatusCode == HttpStatusCode.Forbidden
                && (RateLimit.Header(r, "X-RateLimit-Remaining") == "0" || RateLimit.Header(r, "Retry-After") is not null),
        };
    }

    public TicketInstance Instance { get; }

    /// <summary>GitHub's documented limit is 65,536 characters; stay a little below it.</summary>
    public int MaxCommentLength => 65_000;

    public TicketMarkup Markup => MarkdownMarkup.Instance;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        GitHubWebhook.VerifySignature(_options.WebhookSecret, headers["X-Hub-Signature-256"].FirstOrDefault(), body);

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        GitHubWebhook.Read(Instance.KeyPrefix, headers["X-GitHub-Event"].FirstOrDefault(), headers["X-GitHub-Delivery"].FirstOrDefault(), body);

    public bool IsIncident(TicketSnapshot ticket) =>
        string.IsNullOrEmpty(_options.Label) || ticket.Labels.Contains(_options.Label, StringComparer.OrdinalIgnoreCase);

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var (owner, repo, number) = Parse(ticketRef);
        // Small pages: transcript comments are up to 65 KB each, and only one page is held at a time.
        string? next = $"repos/{owner}/{repo}/issues/{number}/comments?per_page=20";
        while (next is not null)
        {
            var response = await _api.ExecuteAsync(new RestRequest(next, Method.Get), ct);
            List<TicketComment> page;
            using (var doc = TicketApi.Json(response, "[]"))
            {
                page = [.. doc.RootElement.EnumerateArray().Select(Comment).Where(c => c.Body.Contains(marker, StringComparison.Ordinal))];
            }
            foreach (var comment in page)
            {
                yield return comment;
            }
            next = _api.NextPage(response);
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var (owner, repo, number) = Parse(ticketRef);
        var request = new RestRequest($"repos/{owner}/{repo}/issues/{number}/comments", Method.Post).AddJsonBody(new { body });
        var response = await _api.ExecuteAsync(request, ct);
        using var doc = TicketApi.Json(response);
        return Comment(doc.RootElement);
    }

    private static TicketComment Comment(JsonElement c) => new(
        c.GetProperty("id").GetRawText(),
        c.TryGetProperty("html_url", out var url) ? url.GetString() ?? "" : "",
        c.TryGetProperty("body", out var body) ? body.GetString() ?? "" : "");

    private static (string Owner, string Repo, string Number) Parse(string ticketRef)
    {
        var hash = ticketRef.LastIndexOf('#');
        var slash = ticketRef.IndexOf('/', StringComparison.Ordinal);
        if (hash < 0 || slash < 0 || slash > hash)
        {
            throw new ExternalCallException("github", $"'{ticketRef}' is not owner/repo#number", permanent: true);
        }
        return (Uri.EscapeDataString(ticketRef[..slash]), Uri.EscapeDataString(ticketRef[(slash + 1)..hash]), ticketRef[(hash + 1)..]);
    }
}
