using System.Globalization;
using System.Text.Json;

namespace Incidents.Chat.RocketChat;

/// <summary>Maps a Rocket.Chat REST message object (rocketchat-api.md §4) to a <see cref="ChatMessage"/>.</summary>
internal static class RocketChatMessage
{
    public static ChatMessage Parse(JsonElement m)
    {
        var u = m.TryGetProperty("u", out var user) ? user : default;
        return new ChatMessage(
            Id: m.GetProperty("_id").GetString()!,
            Timestamp: Date(m, "ts") ?? DateTimeOffset.MinValue,
            RawTimestamp: Str(m, "ts"),
            Username: Str(u, "username") ?? "unknown",
            DisplayName: Str(u, "name"),
            Text: Str(m, "msg") ?? "",
            SystemType: Str(m, "t"),
            ThreadId: Str(m, "tmid"),
            EditedAt: Date(m, "editedAt") ?? (Str(m, "t") == "rm" ? Date(m, "_updatedAt") : null),
            EditedBy: m.TryGetProperty("editedBy", out var eb) ? Str(eb, "username") : null,
            Files: Files(m),
            Attachments: Attachments(m),
            Reactions: Reactions(m),
            Pinned: m.TryGetProperty("pinned", out var p) && p.ValueKind == JsonValueKind.True,
            ThreadReplyCount: m.TryGetProperty("tcount", out var tc) && tc.ValueKind == JsonValueKind.Number ? tc.GetInt32() : 0,
            Mentions: Array(m, "mentions", e => Str(e, "username")),
            Links: Array(m, "urls", e => Str(e, "url") is { } url
                ? new ChatLink(url, e.TryGetProperty("meta", out var meta) ? Str(meta, "pageTitle") ?? Str(meta, "ogTitle") : null,
                    e.TryGetProperty("meta", out var meta2) ? Str(meta2, "description") ?? Str(meta2, "ogDescription") : null)
                : null));
    }

    private static List<T>? Array<T>(JsonElement m, string name, Func<JsonElement, T?> item) where T : class
    {
        if (!m.TryGetProperty(name, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var list = items.EnumerateArray().Select(item).OfType<T>().ToList();
        return list.Count == 0 ? null : list;
    }

    private static List<ChatFile>? Files(JsonElement m)
    {
        if (!m.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        if (m.TryGetProperty("attachments", out var atts) && atts.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in atts.EnumerateArray().Where(a => Str(a, "type") == "file" && Str(a, "title_link") is not null))
            {
                links[Str(a, "title") ?? ""] = Str(a, "title_link")!;
            }
        }
        return [.. files.EnumerateArray().Select(f =>
        {
            var id = Str(f, "_id") ?? "";
            var name = Str(f, "name") ?? id;
            var url = links.GetValueOrDefault(name) ?? $"/file-upload/{id}/{Uri.EscapeDataString(name)}";
            long? size = f.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
            return new ChatFile(id, name, Str(f, "type"), size, url);
        })];
    }

    private static List<ChatAttachment>? Attachments(JsonElement m)
    {
        if (!m.TryGetProperty("attachments", out var atts) || atts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var list = atts.EnumerateArray()
            .Where(a => Str(a, "type") != "file")
            .Select(a => new ChatAttachment(Str(a, "title"), Str(a, "title_link"), Str(a, "text"), Str(a, "author_name"), Str(a, "message_link"), Str(a, "image_url")))
            .ToList();
        return list.Count == 0 ? null : list;
    }

    private static Dictionary<string, IReadOnlyList<string>>? Reactions(JsonElement m)
    {
        if (!m.TryGetProperty("reactions", out var r) || r.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return r.EnumerateObject().ToDictionary(
            e => e.Name,
            e => (IReadOnlyList<string>)(e.Value.TryGetProperty("usernames", out var names) && names.ValueKind == JsonValueKind.Array
                ? [.. names.EnumerateArray().Select(n => n.GetString() ?? "")]
                : []),
            StringComparer.Ordinal);
    }

    /// <summary>A string field; U+0000 (which PostgreSQL cannot store in text or jsonb) becomes U+FFFD.</summary>
    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!.Replace('\0', '\uFFFD')
            : null;

    private static DateTimeOffset? Date(JsonElement e, string name) =>
        Str(e, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
}
