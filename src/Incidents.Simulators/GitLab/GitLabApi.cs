using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.GitLab;

/// <summary>
/// GitLab REST v4 under <c>/gitlab/api/v4</c>: issue notes (list with GitLab's pagination headers, create with the
/// 1,000,000-character limit and quick-action processing, get), the issue itself, project Markdown uploads (upload
/// with the instance's size limit, download by secret and file name) and, under <c>/gitlab/object-storage</c>, the
/// presigned store that downloads redirect to when <see cref="GitLabState.DirectDownload"/> is on.
/// Auth: <c>PRIVATE-TOKEN</c>, <c>Authorization: Bearer</c> or <c>private_token</c>, as GitLab accepts them.
/// </summary>
internal sealed partial class GitLabApi(GitLabState state) : ISimulatorApi
{
    public const string Prefix = "/gitlab";
    private const string ApiPrefix = "/gitlab/api/v4";
    private const string StoragePrefix = "/gitlab/object-storage";

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public string EndpointName(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.StartsWith(StoragePrefix + "/", StringComparison.Ordinal))
        {
            return "storage.download";
        }
        var api = path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal) ? path[ApiPrefix.Length..] : "";
        return api switch
        {
            _ when NotesPath().IsMatch(api) => HttpMethods.IsPost(request.Method) ? "notes.create" : "notes.list",
            _ when NotePath().IsMatch(api) => "notes.get",
            _ when IssuePath().IsMatch(api) => "issues.get",
            _ when UploadsPath().IsMatch(api) => "uploads.create",
            _ when UploadPath().IsMatch(api) => "uploads.download",
            _ => "unknown",
        };
    }

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path.StartsWith(StoragePrefix + "/", StringComparison.Ordinal) && HttpMethods.IsGet(request.Method))
        {
            return Storage(request, path[(StoragePrefix.Length + 1)..]);
        }
        if (!path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
        {
            return NotFound();
        }
        string? user;
        lock (state.Gate)
        {
            user = Token(request) is { } token ? state.UserOf(token) : null;
        }
        if (user is null)
        {
            return Message(401, "401 Unauthorized");
        }
        var api = path[ApiPrefix.Length..];
        if (NotesPath().Match(api) is { Success: true } notes)
        {
            var (project, iid) = (Project(notes), Iid(notes));
            if (HttpMethods.IsGet(request.Method))
            {
                return GitLabNotes.List(state, request, project, iid);
            }
            if (HttpMethods.IsPost(request.Method))
            {
                return await GitLabNotes.CreateAsync(state, context, project, iid, user);
            }
        }
        else if (NotePath().Match(api) is { Success: true } note && HttpMethods.IsGet(request.Method))
        {
            return GitLabNotes.Get(state, Project(note), Iid(note), long.Parse(note.Groups["note"].Value, CultureInfo.InvariantCulture));
        }
        else if (IssuePath().Match(api) is { Success: true } issue && HttpMethods.IsGet(request.Method))
        {
            return Issue(Project(issue), Iid(issue));
        }
        else if (UploadsPath().Match(api) is { Success: true } uploads && HttpMethods.IsPost(request.Method))
        {
            return await GitLabUploads.CreateAsync(state, context, Project(uploads), user);
        }
        else if (UploadPath().Match(api) is { Success: true } upload && HttpMethods.IsGet(request.Method))
        {
            return GitLabUploads.Download(state, request, Project(upload), upload.Groups["secret"].Value, Uri.UnescapeDataString(upload.Groups["file"].Value));
        }
        return NotFound();
    }

    /// <summary>The answer of GitLab's Rack::Attack throttle: plain "Retry later" with the RateLimit-* headers.</summary>
    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var reset = state.Time.GetUtcNow().AddSeconds(retryAfterSeconds);
        var response = new SimResponse { Status = 429, Bytes = "Retry later\n"u8.ToArray(), ContentType = "text/plain" };
        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Name"] = "throttle_authenticated_api";
        response.Headers["RateLimit-Limit"] = "2000";
        response.Headers["RateLimit-Observed"] = "2001";
        response.Headers["RateLimit-Remaining"] = "0";
        response.Headers["RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-ResetTime"] = reset.ToString("r", CultureInfo.InvariantCulture);
        return response;
    }

    public SimResponse ServerError() => Message(500, "500 Internal Server Error");

    public SimResponse Unavailable() => Message(503, "503 Service Unavailable");

    internal static SimResponse Message(int status, string message) => SimResponse.FromJson(status, new JsonObject { ["message"] = message });

    internal static SimResponse NotFound(string? resource = null) => Message(404, resource is null ? "404 Not Found" : $"404 {resource} Not Found");

    internal static string Time(DateTimeOffset at) => IsoTime.Millis(at);

    private SimResponse Issue(string project, long iid)
    {
        lock (state.Gate)
        {
            var created = state.Time.GetUtcNow();
            return SimResponse.FromJson(200, new JsonObject
            {
                ["id"] = 500_000 + iid,
                ["iid"] = iid,
                ["project_id"] = long.TryParse(project, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0,
                ["title"] = $"Issue {iid}",
                ["description"] = null,
                ["state"] = state.IssueStateOf(project, iid),
                ["created_at"] = Time(created),
                ["updated_at"] = Time(created),
                ["type"] = "ISSUE",
                ["issue_type"] = "issue",
                ["labels"] = new JsonArray(),
                ["assignees"] = new JsonArray(),
                ["web_url"] = IssueWebUrl(state, project, iid),
            });
        }
    }

    internal static string IssueWebUrl(GitLabState state, string project, long iid) =>
        string.Create(CultureInfo.InvariantCulture, $"{state.WebUrl}/sim-group/project-{project}/-/issues/{iid}");

    private SimResponse Storage(HttpRequest request, string rest)
    {
        if (request.Headers.ContainsKey("PRIVATE-TOKEN") || request.Headers.ContainsKey("Authorization") || request.Query.ContainsKey("private_token"))
        {
            state.CountStorageDownloadWithCredentials();
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        GitLabUpload? upload = null;
        if (slash > 0)
        {
            lock (state.Gate)
            {
                upload = state.FindUpload(rest[..slash], Uri.UnescapeDataString(rest[(slash + 1)..]));
            }
        }
        return upload is null
            ? new SimResponse { Status = 404, Bytes = "<Error><Code>NoSuchKey</Code></Error>"u8.ToArray(), ContentType = "application/xml" }
            : new SimResponse { Status = 200, Bytes = upload.Content, ContentType = upload.ContentType };
    }

    private static string? Token(HttpRequest request)
    {
        if (request.Headers["PRIVATE-TOKEN"].FirstOrDefault() is { Length: > 0 } privateToken)
        {
            return privateToken;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        return request.Query["private_token"].FirstOrDefault();
    }

    private static string Project(Match m) => Uri.UnescapeDataString(m.Groups["project"].Value);

    private static long Iid(Match m) => long.Parse(m.Groups["iid"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("^/projects/(?<project>[^/]+)/issues/(?<iid>[0-9]{1,18})/notes/?$")]
    private static partial Regex NotesPath();

    [GeneratedRegex("^/projects/(?<project>[^/]+)/issues/(?<iid>[0-9]{1,18})/notes/(?<note>[0-9]{1,18})$")]
    private static partial Regex NotePath();

    [GeneratedRegex("^/projects/(?<project>[^/]+)/issues/(?<iid>[0-9]{1,18})$")]
    private static partial Regex IssuePath();

    [GeneratedRegex("^/projects/(?<project>[^/]+)/uploads/?$")]
    private static partial Regex UploadsPath();

    [GeneratedRegex("^/projects/(?<project>[^/]+)/uploads/(?<secret>[0-9a-f]{32})/(?<file>[^/]+)$")]
    private static partial Regex UploadPath();
}
