using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Jira;

/// <summary>
/// Jira's REST API under <c>/jira/</c> (the site base): issue comments through API v2 (wiki markup) and v3 (ADF),
/// issue attachments (upload, list through the issue's <c>attachment</c> field, download through Cloud's content endpoint
/// or Data Center's <c>/secure/attachment</c> path). Cloud Basic (e-mail:API token) and Data Center Bearer (personal
/// access token) are both accepted.
/// </summary>
internal sealed partial class JiraApi(JiraState state, SimulatorOptions options) : ISimulatorApi
{
    private const string Prefix = "/jira";
    private const int MaxPage = 5000;

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public string EndpointName(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return path switch
        {
            _ when IssuePath().IsMatch(path) => "issue.get",
            _ when CommentsPath().IsMatch(path) => HttpMethods.IsPost(request.Method) ? "comments.create" : "comments.list",
            _ when CommentPath().IsMatch(path) => "comment.get",
            _ when AttachmentsPath().IsMatch(path) => "attachments.create",
            _ when AttachmentPath().IsMatch(path) => "attachment.get",
            _ when ContentPath().IsMatch(path) => "attachment.content",
            _ when DownloadPath().IsMatch(path) => "attachment.download",
            _ => "unknown",
        };
    }

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var response = Error(429, "Rate limit exceeded.");
        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Limit"] = "350";
        response.Headers["X-RateLimit-Remaining"] = "0";
        response.Headers["RateLimit-Reason"] = "jira-burst-based";
        return response;
    }

    public SimResponse ServerError() => Error(500, "Internal server error");

    public SimResponse Unavailable() => Error(503, "Service Unavailable");

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!Authenticated(request))
        {
            var unauthorized = Error(401, "You are not authenticated. Authentication required to perform this operation.");
            unauthorized.Headers["WWW-Authenticate"] = "Basic realm=\"protected-area\"";
            return unauthorized;
        }
        var path = request.Path.Value ?? "";
        var site = $"{request.Scheme}://{request.Host}{Prefix}/";
        var get = HttpMethods.IsGet(request.Method);
        var post = HttpMethods.IsPost(request.Method);
        if (IssuePath().Match(path) is { Success: true } i && get)
        {
            return WithIssue(i, issue => SimResponse.FromJson(200, Issue(site, Version(i), issue, request.Query["fields"].ToString())));
        }
        if (CommentsPath().Match(path) is { Success: true } cs && (get || post))
        {
            return post ? await CreateCommentAsync(context, site, cs) : WithIssue(cs, issue => ListComments(request, site, Version(cs), issue));
        }
        if (CommentPath().Match(path) is { Success: true } c && get)
        {
            return WithIssue(c, issue => state.Comment(issue, long.Parse(c.Groups["id"].Value, CultureInfo.InvariantCulture)) is { } comment
                ? SimResponse.FromJson(200, Comment(site, Version(c), comment))
                : Error(404, "Can not find a comment for the id: " + c.Groups["id"].Value + "."));
        }
        if (AttachmentsPath().Match(path) is { Success: true } a && post)
        {
            return await CreateAttachmentsAsync(context, site, a);
        }
        if (AttachmentPath().Match(path) is { Success: true } am && get)
        {
            lock (state.Gate)
            {
                return state.Attachment(Id(am)) is { } attachment ? SimResponse.FromJson(200, Attachment(site, Version(am), attachment)) : AttachmentMissing(Id(am));
            }
        }
        if (ContentPath().Match(path) is { Success: true } content && get)
        {
            lock (state.Gate)
            {
                if (state.Attachment(Id(content)) is not { } attachment)
                {
                    return AttachmentMissing(Id(content));
                }
                if (!string.Equals(request.Query["redirect"], "false", StringComparison.OrdinalIgnoreCase))
                {
                    // Cloud redirects to the media service by default; the simulator redirects to its download path.
                    var redirect = new SimResponse { Status = 303 };
                    redirect.Headers["Location"] = $"{site}secure/attachment/{attachment.Id}/{Uri.EscapeDataString(attachment.FileName)}";
                    return redirect;
                }
                return Bytes(attachment);
            }
        }
        if (DownloadPath().Match(path) is { Success: true } download && get)
        {
            lock (state.Gate)
            {
                return state.Attachment(Id(download)) is { } attachment && attachment.FileName == Uri.UnescapeDataString(download.Groups["name"].Value)
                    ? Bytes(attachment)
                    : AttachmentMissing(Id(download));
            }
        }
        return Error(404, "null for uri: " + path);
    }

    private bool Authenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return header["Bearer ".Length..] == options.JiraPersonalAccessToken;
        }
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])) == $"{options.JiraEmail}:{options.JiraApiToken}";
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return false;
    }

    private SimResponse WithIssue(Match match, Func<JiraIssue, SimResponse> handle)
    {
        lock (state.Gate)
        {
            return state.Find(match.Groups["issue"].Value) is { } issue ? handle(issue) : IssueMissing();
        }
    }

    private JsonObject Issue(string site, int version, JiraIssue issue, string fields)
    {
        var wanted = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Wants(string field) => wanted.Length == 0 || wanted.Contains(field) || wanted.Contains("*all");
        var body = new JsonObject();
        if (Wants("summary"))
        {
            body["summary"] = issue.Summary;
        }
        if (Wants("attachment"))
        {
            body["attachment"] = new JsonArray([.. state.AttachmentsOf(issue).Select(a => (JsonNode)Attachment(site, version, a))]);
        }
        if (Wants("comment"))
        {
            var comments = state.CommentsOf(issue).Select(c => (JsonNode)Comment(site, version, c)).ToArray();
            body["comment"] = new JsonObject { ["comments"] = new JsonArray(comments), ["maxResults"] = comments.Length, ["total"] = comments.Length, ["startAt"] = 0 };
        }
        return new JsonObject
        {
            ["expand"] = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            ["id"] = issue.Id,
            ["self"] = $"{site}rest/api/{version}/issue/{issue.Id}",
            ["key"] = issue.Key,
            ["fields"] = body,
        };
    }

    private SimResponse ListComments(HttpRequest request, string site, int version, JiraIssue issue)
    {
        var startAt = Math.Max(0, Int(request, "startAt") ?? 0);
        var maxResults = Math.Clamp(Int(request, "maxResults") ?? MaxPage, 0, MaxPage);
        var comments = state.CommentsOf(issue).ToList();
        if (request.Query["orderBy"].ToString() == "-created")
        {
            comments.Reverse();
        }
        var page = comments.Skip(startAt).Take(maxResults).Select(c => (JsonNode)Comment(site, version, c)).ToArray();
        return SimResponse.FromJson(200, new JsonObject
        {
            ["startAt"] = startAt,
            ["maxResults"] = maxResults,
            ["total"] = comments.Count,
            ["comments"] = new JsonArray(page),
        });
    }

    private async Task<SimResponse> CreateCommentAsync(HttpContext context, string site, Match match)
    {
        var version = Version(match);
        JsonNode? json;
        try
        {
            json = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Error(400, "Unexpected character in the request body.");
        }
        var body = json?["body"];
        string stored;
        int length;
        if (version == 3)
        {
            if (JiraDocuments.Invalid(body) is { } problem)
            {
                return FieldError("comment", $"Comment body is not valid! ({problem})");
            }
            stored = body!.ToJsonString(JsonWriter.Options);
            length = JiraDocuments.ToWiki(body.AsObject()).Length;
        }
        else
        {
            if (body is not JsonValue value || !value.TryGetValue<string>(out var wiki) || wiki.Trim().Length == 0)
            {
                return FieldError("comment", "Comment body can not be empty!");
            }
            stored = wiki;
            length = wiki.Length;
        }
        if (length > options.JiraCharacterLimit)
        {
            return FieldError("comment", string.Create(CultureInfo.InvariantCulture, $"The entered text is too long. It exceeds the allowed limit of {options.JiraCharacterLimit:N0} characters."));
        }
        string? visibility = null;
        if (json?["visibility"] is JsonObject v)
        {
            if ((string?)v["type"] is not ("role" or "group") || (string?)v["value"] is not { Length: > 0 })
            {
                return FieldError("commentLevel", "You are currently not a member of the project role or group specified.");
            }
            visibility = $"{(string?)v["type"]}:{(string?)v["value"]}";
        }
        lock (state.Gate)
        {
            if (state.Find(match.Groups["issue"].Value) is not { } issue)
            {
                return IssueMissing();
            }
            var comment = state.CreateComment(issue.Id, version == 3, stored, options.JiraAccountId, visibility);
            return SimResponse.FromJson(201, Comment(site, version, comment));
        }
    }

    private async Task<SimResponse> CreateAttachmentsAsync(HttpContext context, string site, Match match)
    {
        var request = context.Request;
        if (!string.Equals(request.Headers["X-Atlassian-Token"], "no-check", StringComparison.OrdinalIgnoreCase))
        {
            return new SimResponse { Status = 403, ContentType = "text/plain", Bytes = Encoding.UTF8.GetBytes("XSRF check failed") };
        }
        if (!request.HasFormContentType)
        {
            return Error(415, "Unsupported Media Type: the attachments must be sent as multipart/form-data.");
        }
        var form = await request.ReadFormAsync(context.RequestAborted);
        var files = form.Files.GetFiles("file");
        if (files.Count == 0)
        {
            return Error(400, "No attachments were provided (multipart field 'file').");
        }
        if (files.FirstOrDefault(f => f.Length > options.JiraMaxAttachmentBytes) is { } large)
        {
            return Error(413, string.Create(CultureInfo.InvariantCulture,
                $"The file '{large.FileName}' is too large ({large.Length} bytes): the maximum attachment size is {options.JiraMaxAttachmentBytes} bytes."));
        }
        var uploads = new List<(string Name, string Type, byte[] Bytes)>();
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted);
            uploads.Add((file.FileName, string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray()));
        }
        lock (state.Gate)
        {
            if (state.Find(match.Groups["issue"].Value) is not { } issue)
            {
                return IssueMissing();
            }
            var created = uploads.Select(u => (JsonNode)Attachment(site, Version(match), state.CreateAttachment(issue.Id, u.Name, u.Type, u.Bytes, options.JiraAccountId))).ToArray();
            return SimResponse.FromJson(200, new JsonArray(created));
        }
    }

    private JsonObject Comment(string site, int version, JiraComment c)
    {
        JsonNode body = version == 3
            ? (c.IsAdf ? JsonNode.Parse(c.Body)! : JiraDocuments.FromWiki(c.Body))
            : JsonValue.Create(c.Wiki);
        var json = new JsonObject
        {
            ["self"] = $"{site}rest/api/{version}/issue/{c.IssueId}/comment/{c.Id}",
            ["id"] = c.Id.ToString(CultureInfo.InvariantCulture),
            ["author"] = User(site, version, c.AuthorAccountId),
            ["body"] = body,
            ["updateAuthor"] = User(site, version, c.AuthorAccountId),
            ["created"] = Time(c.Created),
            ["updated"] = Time(c.Created),
            ["jsdPublic"] = true,
        };
        if (c.Visibility?.Split(':', 2) is [var type, var value])
        {
            json["visibility"] = new JsonObject { ["type"] = type, ["value"] = value };
        }
        return json;
    }

    private JsonObject Attachment(string site, int version, JiraAttachment a) => new()
    {
        ["self"] = $"{site}rest/api/{version}/attachment/{a.Id}",
        ["id"] = a.Id.ToString(CultureInfo.InvariantCulture),
        ["filename"] = a.FileName,
        ["author"] = User(site, version, a.AuthorAccountId),
        ["created"] = Time(a.Created),
        ["size"] = a.Content.Length,
        ["mimeType"] = a.MimeType,
        ["content"] = version == 3
            ? $"{site}rest/api/3/attachment/content/{a.Id}"
            : $"{site}secure/attachment/{a.Id}/{Uri.EscapeDataString(a.FileName)}",
    };

    private JsonObject User(string site, int version, string accountId) => new()
    {
        ["self"] = $"{site}rest/api/{version}/user?accountId={Uri.EscapeDataString(accountId)}",
        ["accountId"] = accountId,
        ["displayName"] = accountId == options.JiraAccountId ? "Incidents" : "Person",
        ["active"] = true,
        ["timeZone"] = "Etc/UTC",
        ["accountType"] = accountId == options.JiraAccountId ? "app" : "atlassian",
    };

    private static SimResponse Bytes(JiraAttachment a) => new() { Status = 200, ContentType = a.MimeType, Bytes = a.Content };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private static int Version(Match m) => m.Groups["v"].Value == "3" ? 3 : 2;

    private static long Id(Match m) => long.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture);

    private static int? Int(HttpRequest request, string name) =>
        int.TryParse(request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static SimResponse IssueMissing() => Error(404, "Issue does not exist or you do not have permission to see it.");

    private static SimResponse AttachmentMissing(long id) => Error(404, string.Create(CultureInfo.InvariantCulture, $"The attachment with id '{id}' does not exist"));

    /// <summary>Jira's error shape: <c>{"errorMessages":[…],"errors":{}}</c>.</summary>
    private static SimResponse Error(int status, string message) =>
        SimResponse.FromJson(status, new JsonObject { ["errorMessages"] = new JsonArray(message), ["errors"] = new JsonObject() });

    /// <summary>A validation error on one field: <c>{"errorMessages":[],"errors":{"comment":"…"}}</c>, status 400.</summary>
    private static SimResponse FieldError(string field, string message) =>
        SimResponse.FromJson(400, new JsonObject { ["errorMessages"] = new JsonArray(), ["errors"] = new JsonObject { [field] = message } });

    [GeneratedRegex(@"^/jira/rest/api/(?<v>2|3|latest)/issue/(?<issue>[^/]+)$")]
    private static partial Regex IssuePath();

    [GeneratedRegex(@"^/jira/rest/api/(?<v>2|3|latest)/issue/(?<issue>[^/]+)/comment$")]
    private static partial Regex CommentsPath();

    [GeneratedRegex(@"^/jira/rest/api/(?<v>2|3|latest)/issue/(?<issue>[^/]+)/comment/(?<id>\d{1,18})$")]
    private static partial Regex CommentPath();

    [GeneratedRegex(@"^/jira/rest/api/(?<v>2|3|latest)/issue/(?<issue>[^/]+)/attachments$")]
    private static partial Regex AttachmentsPath();

    [GeneratedRegex(@"^/jira/rest/api/(?<v>2|3|latest)/attachment/(?<id>\d{1,18})$")]
    private static partial Regex AttachmentPath();

    [GeneratedRegex(@"^/jira/rest/api/(?<v>2|3|latest)/attachment/content/(?<id>\d{1,18})$")]
    private static partial Regex ContentPath();

    [GeneratedRegex(@"^/jira/secure/attachment/(?<id>\d{1,18})/(?<name>[^/]+)$")]
    private static partial Regex DownloadPath();
}
