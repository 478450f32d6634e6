using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// A webhook body taken from Zammad's published default payload (Payloads/Zammad/payload.rst, see SOURCES.md): the
/// page is read unmodified, its JSON block taken out, and only identity fields (ticket id, state, times, the article)
/// are re-pointed so several deliveries describe one ticket's life.
/// </summary>
internal sealed class ZammadPayload
{
    private readonly JsonObject _root;

    private ZammadPayload(JsonObject root) => _root = root;

    public JsonObject Ticket => _root["ticket"]!.AsObject();

    public JsonObject? Article => _root["article"] as JsonObject;

    public static ZammadPayload Load(string file = "payload.rst") =>
        new(JsonNode.Parse(JsonBlock(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Zammad", file))),
            documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!.AsObject());

    /// <summary>The first <c>.. code-block:: json</c> of a reStructuredText page, without its indentation.</summary>
    public static string JsonBlock(string page)
    {
        var lines = page[page.IndexOf(".. code-block:: json", StringComparison.Ordinal)..].Split('\n').Skip(1).ToList();
        var start = lines.FindIndex(l => l.Trim().Length > 0);
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        var block = lines.Skip(start).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length >= indent);
        return string.Join('\n', block.Select(l => l.Length >= indent ? l[indent..] : "")).Trim();
    }

    /// <summary>Points the payload at one ticket (and its article at that ticket).</summary>
    public ZammadPayload For(long ticketId)
    {
        Ticket["id"] = ticketId;
        Ticket["number"] = (10000 + ticketId).ToString(CultureInfo.InvariantCulture);
        Ticket["article_ids"] = new JsonArray(ticketId * 10);
        if (Article is { } article)
        {
            article["ticket_id"] = ticketId;
        }
        return this;
    }

    public ZammadPayload Created(DateTimeOffset at)
    {
        Ticket["created_at"] = Iso(at);
        Ticket["updated_at"] = Iso(at);
        Ticket["state"] = "new";
        Ticket["state_id"] = 1;
        return this;
    }

    /// <summary>The ticket in a state (by name, e.g. "open", "closed", "pending reminder") as of <paramref name="at"/>.</summary>
    public ZammadPayload State(string state, DateTimeOffset createdAt, DateTimeOffset at)
    {
        Ticket["created_at"] = Iso(createdAt);
        Ticket["updated_at"] = Iso(at);
        Ticket["state"] = state;
        return this;
    }

    /// <summary>The article that caused the trigger, written by someone at a time.</summary>
    public ZammadPayload WithArticle(long id, string body, DateTimeOffset at, string login = "chris@chrispresso.com", long userId = 3,
        bool isInternal = false, string sender = "Agent", string contentType = "text/html")
    {
        var article = Article ?? throw new InvalidOperationException("the payload has no article");
        article["id"] = id;
        article["body"] = body;
        article["content_type"] = contentType;
        article["internal"] = isInternal;
        article["sender"] = sender;
        article["type"] = "note";
        article["created_at"] = Iso(at);
        article["updated_at"] = Iso(at);
        article["created_by_id"] = userId;
        article["created_by"]!["login"] = login;
        article["created_by"]!["id"] = userId;
        article["attachments"] = new JsonArray();
        return this;
    }

    /// <summary>A trigger that fired without an article (e.g. a state change made in the UI).</summary>
    public ZammadPayload WithoutArticle()
    {
        _root["article"] = new JsonObject();
        return this;
    }

    public ZammadPayload With(Action<JsonObject> change)
    {
        change(_root);
        return this;
    }

    public string Body() => _root.ToJsonString();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Delivers Zammad webhooks to the service exactly as Zammad's TriggerWebhookJob does.</summary>
internal static class ZammadDelivery
{
    public const string Token = "zammad-hmac-token-51c9";

    /// <summary>The keys a test adds to the harness to configure the default Zammad instance against the simulator.</summary>
    public static void Configure(Dictionary<string, string?> s, string? section = null)
    {
        var sims = s["RocketChat:Url"]!;
        section ??= "Tickets:Zammad";
        s[$"{section}:WebhookToken"] = Token;
        s[$"{section}:Token"] = "zammad-token";
        s[$"{section}:Url"] = sims + "zammad";
        s[$"{section}:IntegrationUserLogin"] = "incidents-bot@example.com";
    }

    public static Task<HttpResponseMessage> DeliverZammadAsync(this Harness h, ZammadPayload payload, string trigger, string? deliveryId = null,
        string? token = Token, string path = "/webhooks/zammad", string? authorization = null) =>
        h.DeliverZammadRawAsync(Encoding.UTF8.GetBytes(payload.Body()), trigger, deliveryId ?? Guid.NewGuid().ToString(), token, path, authorization);

    public static async Task<HttpResponseMessage> DeliverZammadRawAsync(this Harness h, byte[] body, string? trigger, string? deliveryId, string? token,
        string path = "/webhooks/zammad", string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("Zammad User Agent");
        if (trigger is not null)
        {
            request.Headers.Add("X-Zammad-Trigger", trigger);
        }
        if (deliveryId is not null)
        {
            request.Headers.Add("X-Zammad-Delivery", deliveryId);
        }
        if (token is not null)
        {
            request.Headers.Add("X-Hub-Signature", Sign(token, body));
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await h.Client.SendAsync(request);
    }

    public static string Sign(string token, byte[] body) =>
        "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), body));
}
