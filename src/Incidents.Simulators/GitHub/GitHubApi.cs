using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.GitHub;

/// <summary>GitHub REST issue-comment endpoints under <c>/repos/{owner}/{repo}/issues/...</c>.</summary>
internal sealed partial class GitHubApi(GitHubState state, SimulatorOptions options) : ISimulatorApi
{
    private const int MaxBodyLength = 65536;
    private const string Docs = "https://docs.github.com/rest";
    private const string CreateDocs = "https://docs.github.com/rest/issues/comments#create-an-issue-comment";
    private const string UpdateDocs = "https://docs.github.com/rest/issues/comments#update-an-issue-comment";

    public GitHubRateLimits RateLimits { get; } = new(options.TimeProvider);

    public string EndpointName(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (IssueComments().IsMatch(path))
        {
            return HttpMethods.IsPost(request.Method) ? "comments.create" : "comments.list";
        }

        if (SingleComment().IsMatch(path))
        {
            return request.Method switch
            {
                "PATCH" => "comments.update",
                "DELETE" => "comments.delete",
                _ => "comments.get",
            };
        }

        return "unknown";
    }

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var token = Token(request);
        var authenticated = token == options.GitHubToken;
        var rateHeaders = RateLimits.Hit(token ?? $"ip:{context.Connection.RemoteIpAddress}", authenticated);
        var response = await RouteAsync(context, token, authenticated);
        foreach (var (name, value) in rateHeaders)
        {
            response.Headers[name] = value;
        }

        response.Headers["X-GitHub-Api-Version-Selected"] = "2022-11-28";
        response.Headers["X-GitHub-Media-Type"] = "github.v3; format=json";
        return response;
    }

    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var now = options.TimeProvider.GetUtcNow();
        var response = Error(429, $"API rate limit exceeded for user ID 190000001. If you reach out to GitHub Support for help, please include the request ID.", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
        foreach (var (name, value) in GitHubRateLimits.Headers(5000, 0, now.AddSeconds(retryAfterSeconds), 5000))
        {
            response.Headers[name] = value;
        }

        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    public SimResponse ServerError() => Error(500, "Server Error", Docs);

    public SimResponse Unavailable() => Error(503, "Service Unavailable", Docs);

    private async Task<SimResponse> RouteAsync(HttpContext context, string? token, bool authenticated)
    {
        var request = context.Request;
        if (token is null)
        {
            return Error(401, "Requires authentication", Docs);
        }

        if (!authenticated)
        {
            return Error(401, "Bad credentials", Docs);
        }

        var path = request.Path.Value ?? "";
        var baseUrl = $"{request.Scheme}://{request.Host}/";
        if (IssueComments().Match(path) is { Success: true } list && int.TryParse(list.Groups["number"].Value, CultureInfo.InvariantCulture, out var number))
        {
            var (owner, repo) = (list.Groups["owner"].Value, list.Groups["repo"].Value);
            if (HttpMethods.IsPost(request.Method))
            {
                return await CreateAsync(context, baseUrl, owner, repo, number);
            }

            if (HttpMethods.IsGet(request.Method))
            {
                return List(request, baseUrl, owner, repo, number);
            }
        }
        else if (SingleComment().Match(path) is { Success: true } single && long.TryParse(single.Groups["id"].Value, CultureInfo.InvariantCulture, out var id))
        {
            var (owner, repo) = (single.Groups["owner"].Value, single.Groups["repo"].Value);
            switch (request.Method)
            {
                case "GET":
                    lock (state.Gate)
                    {
                        return state.Find(owner, repo, id) is { } found ? SimResponse.FromJson(200, Json(found, baseUrl)) : NotFound();
                    }

                case "PATCH":
                    return await UpdateAsync(context, baseUrl, owner, repo, id);
                case "DELETE":
                    lock (state.Gate)
                    {
                        if (state.Find(owner, repo, id) is not { } doomed)
                        {
                            return NotFound();
                        }

                        state.Delete(doomed);
                        return new SimResponse { Status = 204 };
                    }
            }
        }

        return NotFound();
    }

    private async Task<SimResponse> CreateAsync(HttpContext context, string baseUrl, string owner, string repo, int number)
    {
        var (body, failure) = await ReadBodyAsync(context, CreateDocs);
        if (failure is not null)
        {
            return failure;
        }

        lock (state.Gate)
        {
            var comment = state.Create(owner, repo, number, body!, state.BotLogin);
            var response = SimResponse.FromJson(201, Json(comment, baseUrl));
            response.Headers["Location"] = $"{baseUrl}repos/{owner}/{repo}/issues/comments/{comment.Id}";
            return response;
        }
    }

    private async Task<SimResponse> UpdateAsync(HttpContext context, string baseUrl, string owner, string repo, long id)
    {
        var (body, failure) = await ReadBodyAsync(context, UpdateDocs);
        if (failure is not null)
        {
            return failure;
        }

        lock (state.Gate)
        {
            return state.Find(owner, repo, id) is { } comment
                ? SimResponse.FromJson(200, Json(state.Update(comment, body!), baseUrl))
                : NotFound();
        }
    }

    private SimResponse List(HttpRequest request, string baseUrl, string owner, string repo, int number)
    {
        var perPage = IntQuery(request, "per_page") is { } pp and > 0 ? Math.Min(pp, 100) : 30;
        var page = IntQuery(request, "page") is { } p and > 0 ? p : 1;
        var since = request.Query["since"].ToString();
        var hasSince = IsoTime.TryParse(since, out var sinceValue);
        List<GitHubComment> matching;
        lock (state.Gate)
        {
            matching = state.Issue(owner, repo, number).Where(c => !hasSince || c.UpdatedAt >= sinceValue).ToList();
        }

        var items = matching.Skip((page - 1) * perPage).Take(perPage).Select(c => (JsonNode)Json(c, baseUrl)).ToArray();
        var response = SimResponse.FromJson(200, new JsonArray(items));
        var lastPage = Math.Max(1, (matching.Count + perPage - 1) / perPage);
        var links = new List<string>();
        string Link(int target, string rel)
        {
            var query = hasSince ? $"since={Uri.EscapeDataString(since)}&" : "";
            return $"<{baseUrl}repos/{owner}/{repo}/issues/{number}/comments?{query}per_page={perPage}&page={target}>; rel=\"{rel}\"";
        }

        if (page > 1)
        {
            links.Add(Link(Math.Min(page - 1, lastPage), "prev"));
        }

        if (page < lastPage)
        {
            links.Add(Link(page + 1, "next"));
            links.Add(Link(lastPage, "last"));
        }

        if (page > 1)
        {
            links.Add(Link(1, "first"));
        }

        if (links.Count > 0)
        {
            response.Headers["Link"] = string.Join(", ", links);
        }

        return response;
    }

    private static async Task<(string? Body, SimResponse? Failure)> ReadBodyAsync(HttpContext context, string docs)
    {
        JsonNode? json;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return (null, Error(400, "Problems parsing JSON", docs));
        }

        if (json is not JsonObject obj || obj["body"] is not JsonValue value || !value.TryGetValue<string>(out var body))
        {
            return (null, Error(422, "Invalid request.\n\n\"body\" wasn't supplied.", docs));
        }

        if (body.EnumerateRunes().Count() > MaxBodyLength)
        {
            var error = new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["resource"] = "IssueComment",
                    ["code"] = "unprocessable",
                    ["field"] = "data",
                    ["message"] = $"Body is too long (maximum is {MaxBodyLength} characters)",
                }),
                ["documentation_url"] = docs,
                ["status"] = "422",
            };
            return (null, SimResponse.FromJson(422, error));
        }

        return (body, null);
    }

    private JsonObject Json(GitHubComment comment, string baseUrl)
    {
        var userUrl = $"{baseUrl}users/{comment.UserLogin}";
        var isBot = comment.UserLogin == state.BotLogin;
        return new JsonObject
        {
            ["url"] = $"{baseUrl}repos/{comment.Owner}/{comment.Repo}/issues/comments/{comment.Id}",
            ["html_url"] = comment.HtmlUrl,
            ["issue_url"] = $"{baseUrl}repos/{comment.Owner}/{comment.Repo}/issues/{comment.IssueNumber}",
            ["id"] = comment.Id,
            ["node_id"] = comment.NodeId,
            ["user"] = new JsonObject
            {
                ["login"] = comment.UserLogin,
                ["id"] = isBot ? 190000001 : 1000 + Math.Abs(StringComparer.Ordinal.GetHashCode(comment.UserLogin) % 100000),
                ["node_id"] = isBot ? "BOT_kgDOBbHmAQ" : "U_kgDOAAAD6A",
                ["avatar_url"] = $"https://avatars.githubusercontent.com/u/190000001?v=4",
                ["url"] = userUrl,
                ["html_url"] = $"https://github.com/{comment.UserLogin}",
                ["type"] = isBot ? "Bot" : "User",
                ["site_admin"] = false,
            },
            ["created_at"] = IsoTime.Seconds(comment.CreatedAt),
            ["updated_at"] = IsoTime.Seconds(comment.UpdatedAt),
            ["author_association"] = "NONE",
            ["body"] = comment.Body,
            ["performed_via_github_app"] = null,
        };
    }

    private static SimResponse NotFound() => Error(404, "Not Found", Docs);

    private static SimResponse Error(int status, string message, string docs) =>
        SimResponse.FromJson(status, new JsonObject
        {
            ["message"] = message,
            ["documentation_url"] = docs,
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
        });

    private static string? Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        foreach (var scheme in new[] { "Bearer ", "token " })
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return header[scheme.Length..].Trim();
            }
        }

        return header.Length == 0 ? null : header;
    }

    private static int? IntQuery(HttpRequest request, string name) =>
        int.TryParse(request.Query[name].ToString(), CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/issues/(?<number>[^/]+)/comments/?$")]
    private static partial Regex IssueComments();

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/issues/comments/(?<id>[^/]+)/?$")]
    private static partial Regex SingleComment();
}
