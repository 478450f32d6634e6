using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Redmine;

/// <summary>
/// Redmine 5.0's REST API under <c>/redmine/</c> as the service uses it (ticket-systems.md §6b), modelled on a real
/// Redmine 5.0.4: <c>X-Redmine-API-Key</c> (or <c>?key=</c>) auth, an unknown key being anonymous (reads of public
/// projects allowed, writes and users/current.json 401); issue lists with status/updated_on/project filters, sort,
/// limit (max 100) and offset; <c>updated_on=&gt;=T</c> matching everything after T minus one second (Redmine's own
/// comparison); PUT answering 204 without a body; uploads (octet-stream only, 422 over the maximum attachment size)
/// attached by token; attachment downloads; 404 with an empty body, 422 with <c>{"errors":[…]}</c>.
/// </summary>
internal sealed partial class RedmineApi(RedmineState state, SimulatorOptions options) : ISimulatorApi
{
    private const string Prefix = "/redmine";

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public string EndpointName(HttpRequest request)
    {
        var path = Path(request);
        return path switch
        {
            "/users/current.json" => "users.current",
            "/issue_statuses.json" => "issue_statuses",
            "/issues.json" => HttpMethods.IsPost(request.Method) ? "issues.create" : "issues.list",
            "/uploads.json" => "uploads",
            _ when IssuePath().IsMatch(path) => HttpMethods.IsPut(request.Method) ? "issues.update" : "issues.show",
            _ when DownloadPath().IsMatch(path) => "attachments.download",
            _ => "unknown",
        };
    }

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = Path(request);
        RedmineSimUser? user;
        lock (state.Gate)
        {
            var key = request.Headers["X-Redmine-API-Key"].FirstOrDefault() ?? request.Query["key"].FirstOrDefault();
            user = state.UserByKey(key);
        }
        var mutating = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        if (mutating && user is null)
        {
            return Unauthorized();
        }
        if (mutating && user == state.Bot && string.IsNullOrEmpty(request.Headers["X-Skip-Webhooks"].FirstOrDefault()))
        {
            state.CountWriteWithoutSkip();
        }
        var baseUrl = $"{request.Scheme}://{request.Host}{Prefix}/";
        switch (path)
        {
            case "/users/current.json" when HttpMethods.IsGet(request.Method):
                return user is null ? Unauthorized() : SimResponse.FromJson(200, new JsonObject { ["user"] = CurrentUser(user) });
            case "/issue_statuses.json" when HttpMethods.IsGet(request.Method):
                return SimResponse.FromJson(200, new JsonObject
                {
                    ["issue_statuses"] = new JsonArray([.. state.Statuses.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["name"] = s.Name, ["is_closed"] = s.IsClosed })]),
                });
            case "/issues.json" when HttpMethods.IsGet(request.Method):
                return List(request);
            case "/issues.json" when HttpMethods.IsPost(request.Method):
                return await CreateAsync(context, user!);
            case "/uploads.json" when HttpMethods.IsPost(request.Method):
                return await UploadAsync(context, user!);
        }
        if (IssuePath().Match(path) is { Success: true } issuePath && long.TryParse(issuePath.Groups["id"].Value, CultureInfo.InvariantCulture, out var id))
        {
            if (HttpMethods.IsGet(request.Method))
            {
                lock (state.Gate)
                {
                    var include = request.Query["include"].ToString().Split(',', StringSplitOptions.TrimEntries);
                    return state.Find(id) is { } issue ? SimResponse.FromJson(200, new JsonObject { ["issue"] = Issue(issue, include, baseUrl) }) : NotFound();
                }
            }
            if (HttpMethods.IsPut(request.Method))
            {
                return await UpdateAsync(context, user!, id);
            }
        }
        if (DownloadPath().Match(path) is { Success: true } download && HttpMethods.IsGet(request.Method)
            && long.TryParse(download.Groups["id"].Value, CultureInfo.InvariantCulture, out var attachmentId))
        {
            lock (state.Gate)
            {
                if (state.Attachment(attachmentId) is not { } attachment)
                {
                    return NotFound();
                }
                var response = new SimResponse { Status = 200, Bytes = [.. attachment.Content], ContentType = attachment.ContentType };
                response.Headers["Content-Disposition"] = $"attachment; filename=\"{attachment.FileName}\"";
                return response;
            }
        }
        return NotFound();
    }

    /// <summary>Redmine has no rate limit of its own; a 429 comes from a proxy in front of it.</summary>
    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var response = new SimResponse { Status = 429, Bytes = Encoding.UTF8.GetBytes("Too Many Requests"), ContentType = "text/plain" };
        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    public SimResponse ServerError() => Errors(500, "Internal error");

    public SimResponse Unavailable() => new() { Status = 503, Bytes = Encoding.UTF8.GetBytes("Service Unavailable"), ContentType = "text/plain" };

    private SimResponse List(HttpRequest request)
    {
        var query = request.Query;
        var limit = Math.Clamp(Int(query["limit"]) ?? 25, 1, 100);
        var offset = Math.Max(0, Int(query["offset"]) ?? 0);
        var baseUrl = $"{request.Scheme}://{request.Host}{Prefix}/";
        lock (state.Gate)
        {
            IEnumerable<RedmineIssueRecord> issues = state.AllIssues;
            var status = query["status_id"].ToString();
            issues = status switch
            {
                "*" => issues,
                "" or "open" => issues.Where(i => state.Status(i.StatusId)?.IsClosed != true),
                "closed" => issues.Where(i => state.Status(i.StatusId)?.IsClosed == true),
                _ => issues.Where(i => i.StatusId.ToString(CultureInfo.InvariantCulture) == status),
            };
            if (query["project_id"].ToString() is { Length: > 0 } project)
            {
                if (state.FindProject(project) is not { } p)
                {
                    return NotFound();
                }
                issues = issues.Where(i => i.ProjectId == p.Id);
            }
            if (query["updated_on"].ToString() is { Length: > 0 } updated)
            {
                // Redmine: ">=T" is "updated_on > T - 1 second", compared at the database's full precision.
                if (!updated.StartsWith(">=", StringComparison.Ordinal) || !IsoTime.TryParse(updated[2..], out var from))
                {
                    return Errors(422, "Updated is invalid");
                }
                issues = issues.Where(i => i.UpdatedOn > from.AddSeconds(-1));
            }
            var sort = query["sort"].ToString();
            var ordered = sort switch
            {
                "updated_on" or "updated_on:asc" => issues.OrderBy(i => i.UpdatedOn).ThenByDescending(i => i.Id),
                "updated_on:desc" => issues.OrderByDescending(i => i.UpdatedOn).ThenByDescending(i => i.Id),
                "id" or "id:asc" => issues.OrderBy(i => i.Id),
                _ => issues.OrderByDescending(i => i.Id),
            };
            var all = ordered.ToList();
            return SimResponse.FromJson(200, new JsonObject
            {
                ["issues"] = new JsonArray([.. all.Skip(offset).Take(limit).Select(i => (JsonNode)Issue(i, [], baseUrl))]),
                ["total_count"] = all.Count,
                ["offset"] = offset,
                ["limit"] = limit,
            });
        }
    }

    private async Task<SimResponse> CreateAsync(HttpContext context, RedmineSimUser user)
    {
        if (await ReadIssueAsync(context) is not { } issue)
        {
            return new SimResponse { Status = 400 };
        }
        lock (state.Gate)
        {
            var project = issue["project_id"]?.ToString() is { } p ? state.FindProject(p) : null;
            var subject = issue["subject"]?.GetValue<string>() ?? "";
            if (project is null || subject.Trim().Length == 0)
            {
                return Errors(422, project is null ? "Project cannot be blank" : "Subject cannot be blank");
            }
            var created = state.Create(project, subject, issue["description"]?.GetValue<string>(), user, Int(issue["status_id"]?.ToString()) ?? 1);
            var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}{Prefix}/";
            var response = SimResponse.FromJson(201, new JsonObject { ["issue"] = Issue(created, [], baseUrl) });
            response.Headers["Location"] = $"{baseUrl}issues/{created.Id}";
            return response;
        }
    }

    private async Task<SimResponse> UpdateAsync(HttpContext context, RedmineSimUser user, long id)
    {
        if (await ReadIssueAsync(context) is not { } issue)
        {
            return new SimResponse { Status = 400 };
        }
        var uploads = issue["uploads"] is JsonArray list
            ? list.OfType<JsonObject>().Select(u => new RedmineUploadToken(u["token"]?.GetValue<string>() ?? "", u["filename"]?.GetValue<string>(),
                u["content_type"]?.GetValue<string>(), u["description"]?.GetValue<string>())).ToList()
            : [];
        var change = new RedmineChange(issue["notes"]?.GetValue<string>(), issue["private_notes"]?.GetValue<bool>() == true, Int(issue["status_id"]?.ToString()),
            issue["subject"]?.GetValue<string>(), issue["description"]?.GetValue<string>(), uploads);
        lock (state.Gate)
        {
            if (state.Find(id) is not { } record)
            {
                return NotFound();
            }
            if (change.StatusId is { } statusId && state.Status(statusId) is null)
            {
                return Errors(422, "Status is not included in the list");
            }
            try
            {
                state.Update(record, user, change);
            }
            catch (ArgumentException e)
            {
                return Errors(422, e.Message);
            }
            return new SimResponse { Status = 204 };
        }
    }

    private async Task<SimResponse> UploadAsync(HttpContext context, RedmineSimUser user)
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return new SimResponse { Status = 400 };
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > options.RedmineMaxAttachmentBytes)
        {
            return Errors(422, string.Create(CultureInfo.InvariantCulture,
                $"This file cannot be uploaded because it exceeds the maximum allowed file size ({options.RedmineMaxAttachmentBytes})"));
        }
        lock (state.Gate)
        {
            var upload = state.AddUpload(user, request.Query["filename"].ToString(), buffer.ToArray());
            return SimResponse.FromJson(201, new JsonObject { ["upload"] = new JsonObject { ["id"] = upload.Id, ["token"] = upload.Token } });
        }
    }

    /// <summary>The "issue" object of a JSON request body; null when the body is not JSON of that shape.</summary>
    private static async Task<JsonObject?> ReadIssueAsync(HttpContext context)
    {
        try
        {
            var json = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return json?["issue"] as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private JsonObject Issue(RedmineIssueRecord i, string[] include, string baseUrl)
    {
        var project = state.Project(i.ProjectId);
        var status = state.Status(i.StatusId)!;
        var json = new JsonObject
        {
            ["id"] = i.Id,
            ["project"] = new JsonObject { ["id"] = project.Id, ["name"] = project.Name },
            ["tracker"] = new JsonObject { ["id"] = i.TrackerId, ["name"] = "Bug" },
            ["status"] = new JsonObject { ["id"] = status.Id, ["name"] = status.Name, ["is_closed"] = status.IsClosed },
            ["priority"] = new JsonObject { ["id"] = i.PriorityId, ["name"] = "Normal" },
            ["author"] = UserRef(i.AuthorId),
        };
        if (i.AssigneeId is { } assignee)
        {
            json["assigned_to"] = UserRef(assignee);
        }
        json["subject"] = i.Subject;
        json["description"] = i.Description;
        json["start_date"] = i.CreatedOn.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        json["due_date"] = null;
        json["done_ratio"] = 0;
        json["is_private"] = false;
        json["estimated_hours"] = null;
        json["total_estimated_hours"] = null;
        json["spent_hours"] = 0.0;
        json["total_spent_hours"] = 0.0;
        json["created_on"] = IsoTime.Seconds(i.CreatedOn);
        json["updated_on"] = IsoTime.Seconds(i.UpdatedOn);
        json["closed_on"] = i.ClosedOn is { } closed ? IsoTime.Seconds(closed) : null;
        if (include.Contains("attachments"))
        {
            json["attachments"] = new JsonArray([.. i.AttachmentIds.Select(id => state.Attachment(id)!).Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["filename"] = a.FileName,
                ["filesize"] = a.Content.Length,
                ["content_type"] = a.ContentType,
                ["description"] = a.Description,
                ["content_url"] = $"{baseUrl}attachments/download/{a.Id}/{Uri.EscapeDataString(a.FileName)}",
                ["author"] = UserRef(a.AuthorId),
                ["created_on"] = IsoTime.Seconds(a.CreatedOn),
            })]);
        }
        if (include.Contains("journals"))
        {
            json["journals"] = new JsonArray([.. i.Journals.Select(j => (JsonNode)new JsonObject
            {
                ["id"] = j.Id,
                ["user"] = UserRef(j.UserId),
                ["notes"] = j.Notes,
                ["created_on"] = IsoTime.Seconds(j.CreatedOn),
                ["private_notes"] = j.PrivateNotes,
                ["details"] = new JsonArray([.. j.Details.Select(d => (JsonNode)new JsonObject
                {
                    ["property"] = d.Property,
                    ["name"] = d.Name,
                    ["old_value"] = d.OldValue,
                    ["new_value"] = d.NewValue,
                })]),
            })]);
        }
        return json;
    }

    private JsonObject UserRef(long id) => new() { ["id"] = id, ["name"] = state.User(id)?.Name ?? "Anonymous" };

    private static JsonObject CurrentUser(RedmineSimUser u) => new()
    {
        ["id"] = u.Id,
        ["login"] = u.Login,
        ["admin"] = u.Admin,
        ["firstname"] = u.FirstName,
        ["lastname"] = u.LastName,
        ["mail"] = $"{u.Login}@example.net",
        ["created_on"] = "2026-01-01T00:00:00Z",
        ["updated_on"] = "2026-01-01T00:00:00Z",
        ["last_login_on"] = null,
        ["passwd_changed_on"] = null,
        ["twofa_scheme"] = null,
        ["api_key"] = u.ApiKey,
        ["status"] = 1,
    };

    /// <summary>Redmine answers an unauthenticated API call 401 with an empty body (and a WWW-Authenticate challenge).</summary>
    private static SimResponse Unauthorized()
    {
        var response = new SimResponse { Status = 401 };
        response.Headers["WWW-Authenticate"] = "Basic realm=\"Redmine API\"";
        return response;
    }

    private static SimResponse NotFound() => new() { Status = 404 };

    private static SimResponse Errors(int status, params string[] errors) =>
        SimResponse.FromJson(status, new JsonObject { ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]) });

    private static string Path(HttpRequest request) => (request.Path.Value ?? "")[Prefix.Length..];

    private static int? Int(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"^/issues/(?<id>\d+)\.json$")]
    private static partial Regex IssuePath();

    [GeneratedRegex(@"^/attachments/download/(?<id>\d+)(/[^/]*)?$")]
    private static partial Regex DownloadPath();
}
