using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incidents.Incidents;
using static Incidents.Tickets.PayloadJson;

namespace Incidents.Tickets.Zammad;

/// <summary>
/// Verifies and reads Zammad's trigger webhooks with the default payload <c>{"ticket":{…},"article":{…}}</c>
/// (ticket-systems.md §5). One trigger per event, told apart by <c>X-Zammad-Trigger</c>; whether the ticket is open or
/// closed always comes from its state, so a trigger name that disagrees with the state, or one we do not know, is
/// read as an update and the state machine closes or reopens from the state.
/// </summary>
internal static class ZammadWebhook
{
    /// <summary>Longest article text relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    /// <summary>Found in every article the service writes (it starts <see cref="Transcripts.TranscriptMarker.Prefix"/>).</summary>
    public const string OwnMarker = "incidents:transcript";

    /// <summary>Column limits of the stored delivery id and ticket key.</summary>
    private const int MaxDeliveryId = 256;

    private const string SignaturePrefix = "sha1=";

    /// <summary><c>X-Hub-Signature: sha1=&lt;hex HMAC-SHA1(token, raw body)&gt;</c>, compared in constant time.</summary>
    public static bool VerifySignature(string token, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(token) || header is null || !header.StartsWith(SignaturePrefix, StringComparison.Ordinal)
            || header.Length != SignaturePrefix.Length + (HMACSHA1.HashSizeInBytes * 2))
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), body, expected);
        Span<byte> given = stackalloc byte[HMACSHA1.HashSizeInBytes];
        if (Convert.FromHexString(header.AsSpan(SignaturePrefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != given.Length)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>
    /// The optional second factor: when the webhook sends HTTP Basic credentials or a Bearer token, the Authorization
    /// header must carry exactly the configured one (compared in constant time). Nothing configured: always true.
    /// </summary>
    public static bool VerifyAuthorization(ZammadOptions options, string? header)
    {
        string? expected = null;
        if (!string.IsNullOrEmpty(options.WebhookBearerToken))
        {
            expected = "Bearer " + options.WebhookBearerToken;
        }
        else if (!string.IsNullOrEmpty(options.WebhookUsername) || !string.IsNullOrEmpty(options.WebhookPassword))
        {
            expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.WebhookUsername}:{options.WebhookPassword}"));
        }
        if (expected is null)
        {
            return true;
        }
        var e = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        var g = SHA256.HashData(Encoding.UTF8.GetBytes(header ?? ""));
        return CryptographicOperations.FixedTimeEquals(e, g);
    }

    public static WebhookIntake Read(ZammadSettings settings, string? trigger, string? deliveryId, ReadOnlyMemory<byte> body)
    {
        if (string.IsNullOrEmpty(deliveryId))
        {
            return new WebhookIntake.Malformed("the X-Zammad-Delivery header is missing");
        }
        if (deliveryId.Length > MaxDeliveryId || deliveryId.Any(char.IsControl))
        {
            return new WebhookIntake.Malformed($"the X-Zammad-Delivery header is not a delivery id (at most {MaxDeliveryId} printable characters)");
        }
        if (string.IsNullOrWhiteSpace(trigger))
        {
            return new WebhookIntake.Malformed("the X-Zammad-Trigger header is missing");
        }
        var role = settings.RoleOf(trigger);
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = true });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ticket", out var ticket) || ticket.ValueKind != JsonValueKind.Object)
            {
                return new WebhookIntake.Malformed("the body is not Zammad's default payload: it has no \"ticket\" object");
            }
            var snapshot = Snapshot(settings, ticket);
            var article = root.TryGetProperty("article", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("id", out _) ? a : (JsonElement?)null;
            if (article is { } own && IsOwn(settings, own))
            {
                return new WebhookIntake.Ignored($"{trigger}: article {Id(own)} is the service's own write");
            }
            var evt = Event(settings, role, ticket, snapshot, article);
            var name = $"{role.ToString().ToLowerInvariant()}:{Truncate(trigger, 64)}";
            return new WebhookIntake.Event(deliveryId, name, evt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return new WebhookIntake.Malformed($"the payload is not valid: {e.Message}");
        }
    }

    private static TicketEvent Event(ZammadSettings settings, TriggerRole role, JsonElement ticket, TicketSnapshot snapshot, JsonElement? article)
    {
        var updatedAt = Time(ticket, "updated_at") ?? snapshot.CreatedAt;
        var actor = Login(ticket, "updated_by") ?? Str(ticket, "updated_by");
        var relayed = article is { } a && Relayable(settings, a) ? a : (JsonElement?)null;
        return (role, snapshot.IsOpen) switch
        {
            // The first article is the ticket's description: relaying it opens the incident and shows it in the channel.
            (TriggerRole.Opened, true) when relayed is { } first => Comment(snapshot, first, "opened the ticket", updatedAt),
            (TriggerRole.Opened, true) => new TicketEvent(TicketEventKind.Opened, snapshot, snapshot.CreatedAt, actor),
            (TriggerRole.Reopened, true) => new TicketEvent(TicketEventKind.Reopened, snapshot, updatedAt, actor),
            (TriggerRole.Closed, false) => new TicketEvent(TicketEventKind.Closed, snapshot, updatedAt, actor, Str(ticket, "state")),
            (TriggerRole.Article, _) when relayed is { } added => Comment(snapshot, added, "commented on the ticket", updatedAt),
            _ => new TicketEvent(TicketEventKind.Updated, snapshot, updatedAt, actor),
        };
    }

    private static TicketEvent Comment(TicketSnapshot ticket, JsonElement article, string what, DateTimeOffset fallback)
    {
        var author = UserName(article, "created_by") ?? Str(article, "from") ?? "someone";
        var text = ArticleText.ToPlain(Str(article, "body") ?? "", Str(article, "content_type"));
        if (text.Length > MaxRelayedText)
        {
            text = text[..MaxRelayedText] + $"… (truncated; full article: {ticket.Url}/{Id(article)})";
        }
        var kind = Bool(article, "internal") ? " (internal note)" : "";
        return new TicketEvent(TicketEventKind.Commented, ticket, Time(article, "created_at") ?? fallback, author, $"{author} {what}{kind}:\n{text}");
    }

    /// <summary>Customer and agent articles are relayed; system articles (auto-replies, notifications) are not, nor internal ones when so configured.</summary>
    private static bool Relayable(ZammadSettings settings, JsonElement article) =>
        !string.Equals(Str(article, "sender"), "System", StringComparison.OrdinalIgnoreCase)
        && (settings.RelayInternalArticles || !Bool(article, "internal"))
        && !string.IsNullOrWhiteSpace(Str(article, "body"));

    private static bool IsOwn(ZammadSettings settings, JsonElement article)
    {
        if (settings.IntegrationUserId is { } userId && Long(article, "created_by_id") == userId)
        {
            return true;
        }
        if (!string.IsNullOrEmpty(settings.IntegrationUserLogin)
            && (string.Equals(Login(article, "created_by"), settings.IntegrationUserLogin, StringComparison.OrdinalIgnoreCase)
                || string.Equals(Str(article, "created_by"), settings.IntegrationUserLogin, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        return (Str(article, "subject") ?? "").Contains(OwnMarker, StringComparison.Ordinal)
            || (Str(article, "body") ?? "").Contains(OwnMarker, StringComparison.Ordinal);
    }

    private static TicketSnapshot Snapshot(ZammadSettings settings, JsonElement ticket)
    {
        var id = Long(ticket, "id") ?? throw new FormatException("ticket.id is missing or not a number");
        if (id <= 0)
        {
            throw new FormatException("ticket.id is not a ticket id");
        }
        var state = Str(ticket, "state") ?? (ticket.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.Object ? Str(s, "name") : null)
            ?? throw new FormatException("ticket.state is missing");
        var labels = new List<string>();
        if (Name(ticket, "group") is { } group)
        {
            labels.Add(group);
        }
        if (Name(ticket, "priority") is { } priority)
        {
            labels.Add(priority);
        }
        if (ticket.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            labels.AddRange(tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => Clean(t.GetString()!)));
        }
        var owner = Login(ticket, "owner");
        return new TicketSnapshot(
            Key: string.Create(CultureInfo.InvariantCulture, $"{settings.KeyPrefix}:{id}"),
            Ref: id.ToString(CultureInfo.InvariantCulture),
            Title: Str(ticket, "title") ?? "",
            Url: string.Create(CultureInfo.InvariantCulture, $"{settings.WebUrl}/#ticket/zoom/{id}"),
            Author: UserName(ticket, "customer") ?? "",
            Labels: labels,
            Assignees: owner is null || owner == "-" || Long(ticket, "owner_id") == 1 ? [] : [owner],
            Body: null, // Zammad has no description field: the first article is relayed as a message instead
            IsOpen: !settings.IsClosedState(state),
            CreatedAt: Time(ticket, "created_at") ?? throw new FormatException("ticket.created_at is missing"));
    }

    /// <summary>"Firstname Lastname" of a user object, else its login (or the login string itself in a custom payload).</summary>
    private static string? UserName(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var user))
        {
            return null;
        }
        if (user.ValueKind == JsonValueKind.String)
        {
            return Clean(user.GetString()!);
        }
        var full = $"{Str(user, "firstname")} {Str(user, "lastname")}".Trim();
        return full.Length > 0 ? full : Str(user, "login");
    }

    private static string? Login(JsonElement e, string name) =>
        e.TryGetProperty(name, out var user) && user.ValueKind == JsonValueKind.Object ? Str(user, "login") : null;

    private static string? Name(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Object => Str(v, "name"),
            JsonValueKind.String => Clean(v.GetString()!),
            _ => null,
        } : null;

    private static string Id(JsonElement article) => Long(article, "id")?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>An id: a JSON number, or a numeric string (custom payloads render every value as a string).</summary>
    private static long? Long(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            JsonValueKind.Null => null,
            _ => throw new FormatException($"{name} is not a number"),
        };
    }

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && v.GetString() == "true"));

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Str(e, name) is { Length: > 0 } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

    private static string Truncate(string s, int max) => s.Length > max ? s[..max] : s;
}
