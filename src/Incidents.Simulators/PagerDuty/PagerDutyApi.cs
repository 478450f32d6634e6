using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.PagerDuty;

/// <summary>
/// PagerDuty REST API v2 incident notes under <c>/pagerduty/</c> (so the API base is <c>{sim}/pagerduty</c>):
/// <c>GET</c> and <c>POST /incidents/{id}/notes</c>, with PagerDuty's authentication, versioning and From headers, its
/// error shape <c>{"error":{"message","code","errors"}}</c> and its per-key rate limit.
/// </summary>
internal sealed partial class PagerDutyApi(PagerDutyState state) : ISimulatorApi
{
    public const string Prefix = "/pagerduty";
    private const string VersionedJson = "application/vnd.pagerduty+json;version=2";

    public PagerDutyRateLimits RateLimits { get; } = new(state.Time);

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public string EndpointName(HttpRequest request) =>
        Notes().IsMatch(request.Path.Value ?? "") ? (HttpMethods.IsPost(request.Method) ? "notes.create" : "notes.list") : "unknown";

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var key = ApiKey(request);
        bool known;
        lock (state.Gate)
        {
            known = key is not null && state.IsApiKey(key);
        }
        if (!known)
        {
            return Error(401, "Authentication failed", 2006);
        }
        var (allowed, headers) = RateLimits.Hit(key!, state.RateLimitPerMinute);
        var response = allowed ? await RouteAsync(context) : Error(429, "Rate Limit Exceeded", 2020);
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }
        return response;
    }

    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var response = Error(429, "Rate Limit Exceeded", 2020);
        foreach (var (name, value) in PagerDutyRateLimits.Headers(state.RateLimitPerMinute, 0, TimeSpan.FromSeconds(retryAfterSeconds)))
        {
            response.Headers[name] = value;
        }
        return response;
    }

    public SimResponse ServerError() => Error(500, "An internal error has occurred. PagerDuty team has been notified.", 2000);

    public SimResponse Unavailable() => Error(503, "Service Unavailable", 2000);

    private async Task<SimResponse> RouteAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Headers.Accept.Any(a => a is not null && a.Replace(" ", "", StringComparison.Ordinal).Contains(VersionedJson, StringComparison.OrdinalIgnoreCase)))
        {
            return Error(400, "Invalid Input Provided", 2001, $"The Accept header must be {VersionedJson}");
        }
        if (Notes().Match(request.Path.Value ?? "") is not { Success: true } match)
        {
            return Error(404, "Not Found", 2100);
        }
        var incidentId = match.Groups["id"].Value;
        if (HttpMethods.IsGet(request.Method))
        {
            return List(request, incidentId);
        }
        return HttpMethods.IsPost(request.Method) ? await CreateAsync(context, incidentId) : Error(404, "Not Found", 2100);
    }

    private SimResponse List(HttpRequest request, string incidentId)
    {
        lock (state.Gate)
        {
            if (state.IncidentNotes(incidentId) is not { } notes)
            {
                return Error(404, "Not Found", 2100);
            }
            // Newest first, as PagerDuty's documented example lists them.
            var items = notes.AsEnumerable().Reverse().Select(n => (JsonNode)Json(request, n)).ToArray();
            return SimResponse.FromJson(200, new JsonObject { ["notes"] = new JsonArray(items) });
        }
    }

    private async Task<SimResponse> CreateAsync(HttpContext context, string incidentId)
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "Invalid Input Provided", 2001, "Content-Type must be application/json");
        }
        var from = request.Headers["From"].ToString();
        if (from.Length == 0)
        {
            return Error(400, "You must specify a user's email address in the \"From\" header to perform this action", 2016);
        }
        if (!MailAddress.TryCreate(from, out var address) || address.Address != from)
        {
            return Error(400, "Malformed \"From\" header", 1028);
        }
        string? content;
        try
        {
            using var reader = new StreamReader(request.Body);
            var json = JsonNode.Parse(await reader.ReadToEndAsync(context.RequestAborted));
            content = json?["note"]?["content"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return Error(400, "Invalid Input Provided", 2001, "The request body is not valid JSON");
        }
        if (string.IsNullOrWhiteSpace(content))
        {
            return Error(400, "Invalid Input Provided", 2001, "Content can't be blank");
        }
        if (content.EnumerateRunes().Count() > state.MaxNoteLength)
        {
            return Error(400, "Invalid Input Provided", 2001, $"Content is too long (maximum is {state.MaxNoteLength} characters)");
        }
        lock (state.Gate)
        {
            if (state.UserByEmail(from) is not { } user)
            {
                return Error(400, "Requester User Not Found", 1008);
            }
            if (state.IncidentNotes(incidentId) is not { } notes)
            {
                return Error(404, "Not Found", 2100);
            }
            if (notes.Count >= PagerDutyState.MaxNotesPerIncident)
            {
                return Error(400, "Invalid Input Provided", 2001, $"An incident can have at most {PagerDutyState.MaxNotesPerIncident} notes");
            }
            var note = state.Create(incidentId, content, user.Id);
            return SimResponse.FromJson(200, new JsonObject { ["note"] = Json(request, note) });
        }
    }

    private JsonObject Json(HttpRequest request, PagerDutyNote note) => new()
    {
        ["id"] = note.Id,
        ["user"] = new JsonObject
        {
            ["id"] = note.UserId,
            ["type"] = "user_reference",
            ["summary"] = state.UserName(note.UserId),
            ["self"] = $"{request.Scheme}://{request.Host}{Prefix}/users/{note.UserId}",
            ["html_url"] = $"{state.WebUrl.TrimEnd('/')}/users/{note.UserId}",
        },
        ["channel"] = new JsonObject { ["summary"] = "The PagerDuty website or APIs" },
        ["content"] = note.Content,
        ["created_at"] = IsoTime.Seconds(note.CreatedAt),
        ["updated_at"] = IsoTime.Seconds(note.CreatedAt),
    };

    private static string? ApiKey(HttpRequest request)
    {
        const string scheme = "Token token=";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.Ordinal) && header.Length > scheme.Length ? header[scheme.Length..].Trim() : null;
    }

    private static SimResponse Error(int status, string message, int code, params string[] errors)
    {
        var error = new JsonObject { ["message"] = message, ["code"] = code };
        if (errors.Length > 0)
        {
            error["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]);
        }
        return SimResponse.FromJson(status, new JsonObject { ["error"] = error });
    }

    [GeneratedRegex("^/pagerduty/incidents/(?<id>[^/]+)/notes/?$")]
    private static partial Regex Notes();
}
