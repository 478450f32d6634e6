using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.GitLab;

/// <summary><c>/projects/:id/issues/:iid/notes</c>: list (sorted, filtered, paginated like GitLab), create and get.</summary>
internal static class GitLabNotes
{
    public const int MaxNoteLength = 1_000_000;

    public static SimResponse List(GitLabState state, HttpRequest request, string project, long iid)
    {
        var perPage = Int(request, "per_page") is { } pp and > 0 ? Math.Min(pp, 100) : 20;
        var page = Int(request, "page") is { } p and > 0 ? p : 1;
        var descending = request.Query["sort"].ToString() != "asc";
        var byUpdated = request.Query["order_by"].ToString() == "updated_at";
        var filter = request.Query["activity_filter"].ToString();
        List<GitLabNote> notes;
        lock (state.Gate)
        {
            var matching = state.IssueNotes(project, iid).Where(n => filter switch
            {
                "only_comments" => !n.System,
                "only_activity" => n.System,
                _ => true,
            });
            Func<GitLabNote, DateTimeOffset> key = byUpdated ? n => n.UpdatedAt : n => n.CreatedAt;
            notes = [.. descending ? matching.OrderByDescending(key).ThenByDescending(n => n.Id) : matching.OrderBy(key).ThenBy(n => n.Id)];
        }
        var total = notes.Count;
        var totalPages = Math.Max(1, (total + perPage - 1) / perPage);
        var items = notes.Skip((page - 1) * perPage).Take(perPage).Select(n => (JsonNode)Json(n)).ToArray();
        var response = SimResponse.FromJson(200, new JsonArray(items));
        var inv = CultureInfo.InvariantCulture;
        response.Headers["X-Page"] = page.ToString(inv);
        response.Headers["X-Per-Page"] = perPage.ToString(inv);
        response.Headers["X-Next-Page"] = page < totalPages ? (page + 1).ToString(inv) : "";
        response.Headers["X-Prev-Page"] = page > 1 ? (page - 1).ToString(inv) : "";
        response.Headers["X-Total"] = total.ToString(inv);
        response.Headers["X-Total-Pages"] = totalPages.ToString(inv);
        response.Headers["Link"] = Links(request, page, totalPages);
        return response;
    }

    public static SimResponse Get(GitLabState state, string project, long iid, long id)
    {
        lock (state.Gate)
        {
            return state.IssueNotes(project, iid).FirstOrDefault(n => n.Id == id) is { } note
                ? SimResponse.FromJson(200, Json(note))
                : GitLabApi.NotFound("Note");
        }
    }

    public static async Task<SimResponse> CreateAsync(GitLabState state, HttpContext context, string project, long iid, string user)
    {
        var (body, isInternal, failure) = await ReadAsync(context.Request, context.RequestAborted);
        if (failure is not null)
        {
            return failure;
        }
        if (body is null)
        {
            return SimResponse.FromJson(400, new JsonObject { ["error"] = "body is missing" });
        }
        // The model validates the note as sent, before quick actions touch it.
        if (string.IsNullOrWhiteSpace(body))
        {
            return Invalid("can't be blank");
        }
        if (body.EnumerateRunes().Count() > MaxNoteLength)
        {
            return Invalid($"is too long (maximum is {MaxNoteLength} characters)");
        }
        lock (state.Gate)
        {
            if (state.NoteCreateLimited(user) is { } wait)
            {
                var limited = SimResponse.FromJson(429, new JsonObject
                {
                    ["message"] = new JsonObject { ["error"] = "This endpoint has been requested too many times. Try again later." },
                });
                limited.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return limited;
            }
            var (content, commands) = GitLabQuickActions.Extract(body);
            var changes = new JsonObject();
            var summary = new JsonArray();
            foreach (var (name, argument) in commands)
            {
                Apply(state, project, iid, name, argument, changes, summary);
            }
            if (content.Length == 0)
            {
                return SimResponse.FromJson(202, new JsonObject { ["commands_changes"] = changes, ["summary"] = summary });
            }
            var note = state.CreateNote(project, iid, content, user, system: false, isInternal);
            var json = Json(note);
            json["commands_changes"] = changes;
            return SimResponse.FromJson(201, json);
        }
    }

    public static JsonObject Json(GitLabNote note) => new()
    {
        ["id"] = note.Id,
        ["type"] = null,
        ["body"] = note.Body,
        ["attachment"] = null,
        ["author"] = new JsonObject
        {
            ["id"] = 1000 + Math.Abs(StringComparer.Ordinal.GetHashCode(note.Author) % 100_000),
            ["username"] = note.Author,
            ["name"] = note.Author,
            ["state"] = "active",
            ["locked"] = false,
            ["avatar_url"] = "https://secure.gravatar.com/avatar/00000000000000000000000000000000?s=80&d=identicon",
            ["web_url"] = $"https://gitlab.example.com/{note.Author}",
        },
        ["created_at"] = GitLabApi.Time(note.CreatedAt),
        ["updated_at"] = GitLabApi.Time(note.UpdatedAt),
        ["system"] = note.System,
        ["noteable_id"] = 500_000 + note.IssueIid,
        ["noteable_type"] = "Issue",
        ["project_id"] = long.TryParse(note.ProjectId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0,
        ["resolvable"] = false,
        ["confidential"] = note.Internal,
        ["internal"] = note.Internal,
        ["imported"] = false,
        ["imported_from"] = "none",
        ["noteable_iid"] = note.IssueIid,
        ["commands_changes"] = new JsonObject(),
    };

    /// <summary>Only /close and /reopen change anything here; every recognised command is reported like GitLab does.</summary>
    private static void Apply(GitLabState state, string project, long iid, string name, string? argument, JsonObject changes, JsonArray summary)
    {
        switch (name)
        {
            case "close":
                state.SetIssueState(project, iid, "closed");
                changes["state_event"] = "close";
                summary.Add("Closed this issue.");
                break;
            case "reopen":
                state.SetIssueState(project, iid, "opened");
                changes["state_event"] = "reopen";
                summary.Add("Reopened this issue.");
                break;
            default:
                changes[name] = argument ?? "";
                summary.Add($"Applied /{name}.");
                break;
        }
    }

    private static SimResponse Invalid(string error) =>
        GitLabApi.Message(400, $"400 Bad request - Note {{:note=>[\"{error}\"]}}");

    /// <summary>The note's body and internal flag from a JSON body, a form, or the query string (GitLab's Grape takes all three).</summary>
    private static async Task<(string? Body, bool Internal, SimResponse? Failure)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasJsonContentType())
        {
            JsonNode? json;
            try
            {
                json = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            }
            catch (JsonException)
            {
                return (null, false, SimResponse.FromJson(400, new JsonObject { ["error"] = "body is invalid" }));
            }
            var body = json is JsonObject o && o["body"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            return (body, Flag(json?["internal"]) || Flag(json?["confidential"]), null);
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            return (form.TryGetValue("body", out var b) ? b.ToString() : null, form["internal"] == "true" || form["confidential"] == "true", null);
        }
        return (request.Query.TryGetValue("body", out var q) ? q.ToString() : null, request.Query["internal"] == "true", null);
    }

    private static bool Flag(JsonNode? node) => node is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : v.TryGetValue<string>(out var s) && s == "true");

    private static string Links(HttpRequest request, int page, int totalPages)
    {
        var links = new List<string>();
        string Link(int target, string rel)
        {
            var query = string.Join('&', request.Query.Where(q => q.Key != "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").Append($"page={target}"));
            return $"<{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{query}>; rel=\"{rel}\"";
        }
        if (page > 1)
        {
            links.Add(Link(Math.Min(page - 1, totalPages), "prev"));
        }
        if (page < totalPages)
        {
            links.Add(Link(page + 1, "next"));
        }
        links.Add(Link(1, "first"));
        links.Add(Link(totalPages, "last"));
        return string.Join(", ", links);
    }

    private static int? Int(HttpRequest request, string name) =>
        int.TryParse(request.Query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
