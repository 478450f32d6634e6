using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Zammad;

/// <summary>
/// Zammad REST article endpoints under <c>/zammad/api/v1/</c> (the simulated instance's base URL is
/// <c>{sim}/zammad</c>): create an article (with base64 attachments), list a ticket's articles, download an attachment.
/// Errors have Zammad's shape <c>{"error": …, "error_human": …}</c>; bodies over 1,500,000 characters are refused with
/// 422 like <c>Ticket::Article#check_body</c>, requests over 50 MB with nginx's 413 (Zammad's shipped proxy config).
/// </summary>
internal sealed partial class ZammadApi(ZammadState state, SimulatorOptions options) : ISimulatorApi
{
    public const string Prefix = "/zammad";
    private const int MaxBodyChars = 1_500_000;
    private const long MaxRequestBytes = 50L * 1024 * 1024;

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public string EndpointName(HttpRequest request)
    {
        var path = Path(request);
        return path switch
        {
            "ticket_articles" when HttpMethods.IsPost(request.Method) => "articles.create",
            _ when ByTicket().IsMatch(path) => "articles.by_ticket",
            _ when SingleArticle().IsMatch(path) => "articles.get",
            _ when Attachment().IsMatch(path) => "attachment.get",
            _ => "unknown",
        };
    }

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        state.WebAppPrefix = $"{request.Scheme}://{request.Host}{Prefix}/#";
        if (request.ContentLength > MaxRequestBytes)
        {
            return TooLarge();
        }
        var token = Token(request);
        if (token is null)
        {
            return Error(403, "Authentication required");
        }
        if (token != options.ZammadToken)
        {
            var failure = Error(401, "Can't find User for Token");
            failure.Headers["X-Failure"] = "Can't find User for Token";
            return failure;
        }
        var path = Path(request);
        if (path == "ticket_articles" && HttpMethods.IsPost(request.Method))
        {
            return await CreateAsync(context);
        }
        if (HttpMethods.IsGet(request.Method) && ByTicket().Match(path) is { Success: true } byTicket)
        {
            var ticketId = long.Parse(byTicket.Groups["id"].Value, CultureInfo.InvariantCulture);
            lock (state.Gate)
            {
                return state.HasTicket(ticketId)
                    ? SimResponse.FromJson(200, new JsonArray([.. state.Articles(ticketId).Select(a => (JsonNode)Json(a))]))
                    : NotFound("Ticket", ticketId);
            }
        }
        if (HttpMethods.IsGet(request.Method) && SingleArticle().Match(path) is { Success: true } single)
        {
            var id = long.Parse(single.Groups["id"].Value, CultureInfo.InvariantCulture);
            lock (state.Gate)
            {
                return state.Find(id) is { } article ? SimResponse.FromJson(200, Json(article)) : NotFound("Ticket::Article", id);
            }
        }
        if (HttpMethods.IsGet(request.Method) && Attachment().Match(path) is { Success: true } attachment)
        {
            return Download(
                long.Parse(attachment.Groups["ticket"].Value, CultureInfo.InvariantCulture),
                long.Parse(attachment.Groups["article"].Value, CultureInfo.InvariantCulture),
                long.Parse(attachment.Groups["id"].Value, CultureInfo.InvariantCulture));
        }
        return Error(404, $"No route matches [{request.Method}] \"/api/v1/{path}\"");
    }

    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        // Zammad has no API rate limit of its own; a proxy in front of it (or Rack::Attack) answers like this.
        var response = Error(429, "Too many requests. Please try again later.");
        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    public SimResponse ServerError() => Error(500, "Error ID xK7f3Qa2: Please contact your administrator.", human: false);

    public SimResponse Unavailable() => new()
    {
        Status = 503,
        ContentType = "text/html",
        Bytes = Encoding.UTF8.GetBytes("<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n"),
    };

    private async Task<SimResponse> CreateAsync(HttpContext context)
    {
        JsonObject? json;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxRequestBytes)
            {
                return TooLarge();
            }
            json = buffer.Length == 0 ? null : JsonNode.Parse(buffer.ToArray()) as JsonObject;
        }
        catch (JsonException e)
        {
            return Error(400, $"Error occurred while parsing request parameters: {e.Message}", human: false);
        }
        if (json is null)
        {
            return Error(422, "Need at least article: { body: \"some text\" }");
        }
        if (!TryLong(json["ticket_id"], out var ticketId))
        {
            return Error(404, "Couldn't find Ticket without an ID");
        }
        if (!state.HasTicket(ticketId))
        {
            return NotFound("Ticket", ticketId);
        }
        if (json["body"] is not JsonValue bodyValue || !bodyValue.TryGetValue<string>(out var body))
        {
            return Error(422, "Need at least article: { body: \"some text\" }");
        }
        var type = Text(json["type"]) ?? "note";
        if (type is not ("note" or "email" or "phone" or "web" or "internal"))
        {
            return Error(422, $"No lookup value found for 'type': \"{type}\"");
        }
        var sender = Text(json["sender"]) ?? "Agent";
        var contentType = Text(json["content_type"]) ?? "text/plain";
        var isInternal = json["internal"] is JsonValue iv && (iv.TryGetValue<bool>(out var b) ? b : Text(iv) == "true");
        var subject = Text(json["subject"]) is { } s ? SubjectSpaces().Replace(s, " ") : null;

        var files = new List<(string, string, byte[])>();
        if (json["attachments"] is JsonArray attachments)
        {
            for (var i = 0; i < attachments.Count; i++)
            {
                var a = attachments[i] as JsonObject;
                foreach (var key in new[] { "mime-type", "filename", "data" })
                {
                    if (a?[key] is null)
                    {
                        return Error(422, $"Attachment needs '{key}' param for attachment with index '{i}'");
                    }
                }
                byte[] data;
                try
                {
                    data = Convert.FromBase64String(Text(a!["data"])!.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
                }
                catch (FormatException)
                {
                    return Error(422, $"Invalid base64 for attachment with index '{i}'");
                }
                files.Add((Text(a["filename"])!, Text(a["mime-type"])!, data));
            }
        }

        // Ticket::Article: the body is sanitised first (ChecksHtmlSanitized), then checked against the length limit.
        var stored = state.Store(body, contentType);
        var length = stored.EnumerateRunes().Count();
        if (length > MaxBodyChars)
        {
            return Error(422, $"body of article is too large, {length} chars - only {MaxBodyChars} allowed");
        }
        lock (state.Gate)
        {
            var article = state.Create(ticketId, type, sender, subject, stored, contentType, isInternal, state.BotUserId, state.BotLogin, files);
            return SimResponse.FromJson(201, Json(article));
        }
    }

    private SimResponse Download(long ticketId, long articleId, long attachmentId)
    {
        lock (state.Gate)
        {
            if (!state.HasTicket(ticketId))
            {
                return NotFound("Ticket", ticketId);
            }
            if (state.Find(articleId) is not { } article)
            {
                return NotFound("Ticket::Article", articleId);
            }
            if (article.TicketId != ticketId)
            {
                return Error(403, "The article does not belong to the specified ticket.");
            }
            if (article.Attachments.FirstOrDefault(a => a.Id == attachmentId) is not { } file)
            {
                return Error(403, "The file does not belong to the specified article.");
            }
            var response = new SimResponse { Status = 200, ContentType = file.MimeType, Bytes = file.Data };
            response.Headers["Content-Disposition"] = $"attachment; filename=\"{file.FileName}\"";
            return response;
        }
    }

    /// <summary>The article as <c>attributes_with_association_names</c> renders it (the fields the API documents).</summary>
    private static JsonObject Json(ZammadArticle a) => new()
    {
        ["id"] = a.Id,
        ["ticket_id"] = a.TicketId,
        ["type_id"] = a.Type switch { "email" => 1, "phone" => 5, "web" => 11, _ => 10 },
        ["sender_id"] = a.Sender switch { "Agent" => 1, "Customer" => 2, _ => 3 },
        ["from"] = a.CreatedBy,
        ["to"] = null,
        ["cc"] = null,
        ["subject"] = a.Subject,
        ["reply_to"] = null,
        ["message_id"] = null,
        ["message_id_md5"] = null,
        ["in_reply_to"] = null,
        ["content_type"] = a.ContentType,
        ["references"] = null,
        ["body"] = a.Body,
        ["internal"] = a.Internal,
        ["preferences"] = new JsonObject(),
        ["updated_by_id"] = a.CreatedById,
        ["created_by_id"] = a.CreatedById,
        ["origin_by_id"] = null,
        ["created_at"] = IsoTime.Millis(a.CreatedAt),
        ["updated_at"] = IsoTime.Millis(a.CreatedAt),
        ["attachments"] = new JsonArray([.. a.Attachments.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Id,
            ["filename"] = f.FileName,
            ["size"] = f.Data.Length.ToString(CultureInfo.InvariantCulture),
            ["preferences"] = new JsonObject { ["Mime-Type"] = f.MimeType },
        })]),
        ["type"] = a.Type,
        ["sender"] = a.Sender,
        ["created_by"] = a.CreatedBy,
        ["updated_by"] = a.CreatedBy,
        ["origin_by"] = null,
    };

    private static SimResponse NotFound(string model, long id) => Error(404, $"Couldn't find {model} with 'id'={id}");

    private static SimResponse TooLarge() => new()
    {
        Status = 413,
        ContentType = "text/html",
        Bytes = Encoding.UTF8.GetBytes("<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
    };

    /// <summary>Zammad's error body (ApplicationController::HandlesErrors#humanize_error).</summary>
    private static SimResponse Error(int status, string message, bool human = true)
    {
        var json = new JsonObject { ["error"] = message };
        if (human)
        {
            json["error_human"] = message;
        }
        return SimResponse.FromJson(status, json);
    }

    /// <summary><c>Authorization: Token token=…</c> (Rails' token scheme, also written with quotes) or <c>Bearer …</c>.</summary>
    private static string? Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
        {
            var rest = header[6..].Trim();
            if (rest.StartsWith("token=", StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[6..];
            }
            return rest.Split(',')[0].Trim().Trim('"');
        }
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }
        return header.Length == 0 ? null : header;
    }

    private static string Path(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        const string api = Prefix + "/api/v1/";
        return path.StartsWith(api, StringComparison.Ordinal) ? path[api.Length..].TrimEnd('/') : "";
    }

    private static string? Text(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString()
        : null;

    private static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && (v.TryGetValue(out value) || (v.TryGetValue<string>(out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out value)));
    }

    [GeneratedRegex(@"^ticket_articles/by_ticket/(?<id>\d{1,18})$")]
    private static partial Regex ByTicket();

    [GeneratedRegex(@"^ticket_articles/(?<id>\d{1,18})$")]
    private static partial Regex SingleArticle();

    [GeneratedRegex(@"^ticket_attachment/(?<ticket>\d{1,18})/(?<article>\d{1,18})/(?<id>\d{1,18})$")]
    private static partial Regex Attachment();

    [GeneratedRegex(@"\s|\t|\r")]
    private static partial Regex SubjectSpaces();
}
