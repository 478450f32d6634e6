using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RestSharp;

namespace Incidents.Sandbox;

/// <summary>
/// The sandbox's stand-in for a GitHub repository: tickets kept in memory, whose every change is sent to the
/// service as the GitHub webhook it would be — the payload shapes of GitHub's published examples, signed with
/// the sandbox's secret, over HTTP to <c>/webhooks/github</c>.
/// </summary>
internal sealed class SandboxTickets(SandboxEnvironment sandbox, IHttpClientFactory http, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, Ticket> _tickets = new();
    private int _next;

    public sealed record Ticket(int Number, string Title, string Body, DateTimeOffset CreatedAt)
    {
        public bool Open { get; set; } = true;
        public DateTimeOffset UpdatedAt { get; set; } = CreatedAt;
        public string Url => $"https://github.com/{SandboxEnvironment.Repository}/issues/{Number}";
    }

    public IReadOnlyList<Ticket> All => [.. _tickets.Values.OrderByDescending(t => t.Number)];

    public Ticket? Find(int number) => _tickets.GetValueOrDefault(number);

    public async Task<(Ticket Ticket, int Status)> OpenAsync(string title, string body, CancellationToken ct)
    {
        var ticket = new Ticket(Interlocked.Increment(ref _next), title, body, Now());
        _tickets[ticket.Number] = ticket;
        return (ticket, await SendAsync("issues", "issues.opened.json", ticket, null, ct));
    }

    public async Task<int> CloseAsync(Ticket ticket, CancellationToken ct)
    {
        ticket.Open = false;
        ticket.UpdatedAt = Later(ticket);
        return await SendAsync("issues", "issues.closed.json", ticket, null, ct);
    }

    public async Task<int> ReopenAsync(Ticket ticket, CancellationToken ct)
    {
        ticket.Open = true;
        ticket.UpdatedAt = Later(ticket);
        return await SendAsync("issues", "issues.reopened.json", ticket, null, ct);
    }

    public async Task<int> CommentAsync(Ticket ticket, string text, CancellationToken ct)
    {
        ticket.UpdatedAt = Later(ticket);
        return await SendAsync("issue_comment", "issue_comment.created.json", ticket, text, ct);
    }

    /// <summary>GitHub's timestamps have one-second resolution; every change of a ticket is at least a second after the last.</summary>
    private DateTimeOffset Later(Ticket ticket)
    {
        var now = Now();
        return now > ticket.UpdatedAt ? now : ticket.UpdatedAt.AddSeconds(1);
    }

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
    }

    private async Task<int> SendAsync(string eventName, string template, Ticket ticket, string? comment, CancellationToken ct)
    {
        var payload = Template(template);
        var repository = payload["repository"]!.AsObject();
        repository["id"] = SandboxEnvironment.RepositoryId;
        repository["full_name"] = SandboxEnvironment.Repository;
        repository["name"] = SandboxEnvironment.Repository.Split('/')[1];
        var issue = payload["issue"]!.AsObject();
        issue["number"] = ticket.Number;
        issue["title"] = ticket.Title;
        issue["body"] = ticket.Body;
        issue["html_url"] = ticket.Url;
        issue["state"] = ticket.Open ? "open" : "closed";
        issue["created_at"] = Iso(ticket.CreatedAt);
        issue["updated_at"] = Iso(ticket.UpdatedAt);
        issue["closed_at"] = ticket.Open ? null : Iso(ticket.UpdatedAt);
        issue["labels"] = new JsonArray();
        issue["assignees"] = new JsonArray();
        issue["user"]!["login"] = SandboxEnvironment.Person;
        payload["sender"]!["login"] = SandboxEnvironment.Person;
        if (comment is not null)
        {
            payload["comment"]!["body"] = comment;
            payload["comment"]!["created_at"] = Iso(ticket.UpdatedAt);
            payload["comment"]!["user"]!["login"] = SandboxEnvironment.Person;
        }
        var json = payload.ToJsonString();
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sandbox.WebhookSecret), Encoding.UTF8.GetBytes(json)));
        using var client = new RestClient(http.CreateClient("sandbox"), new RestClientOptions(sandbox.ServiceUrl), disposeHttpClient: true);
        var request = new RestRequest("webhooks/github", Method.Post)
            .AddHeader("X-GitHub-Event", eventName)
            .AddHeader("X-GitHub-Delivery", Guid.NewGuid().ToString())
            .AddHeader("X-Hub-Signature-256", signature)
            .AddStringBody(json, ContentType.Json); // sent as these exact UTF-8 bytes, which the signature covers
        var response = await client.ExecuteAsync(request, ct);
        return (int)response.StatusCode;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>GitHub's published example payloads (src/Incidents.Simulators/Payloads/GitHub, the captures the tests use too), embedded.</summary>
    private static JsonNode Template(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Incidents.Sandbox.Payloads.{name}")
            ?? throw new InvalidOperationException($"sandbox payload {name} is not embedded");
        return JsonNode.Parse(stream)!;
    }
}
