using System.Globalization;
using System.Text.Json;
using Incidents.Chat;

namespace Incidents.Transcripts;

/// <summary>
/// Writes the canonical JSON transcript (docs/transcript-format.md): compact UTF-8, a fixed property order,
/// nulls and empty collections left out and the default encoder, so the same input always gives the same bytes
/// and a SHA-256 over them identifies the transcript. Entries are written as they arrive and flushed in chunks.
/// </summary>
internal static class JsonTranscript
{
    public const string Format = "incidents.transcript/1";

    private const int FlushThreshold = 64 * 1024;

    /// <summary>A UTC timestamp with milliseconds, the one time format of the canonical JSON.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes the transcript and returns the number of bytes written to <paramref name="output"/>.</summary>
    public static async Task<long> WriteAsync(
        Stream output, TranscriptHeader header, IAsyncEnumerable<TranscriptEntry> entries, IReadOnlyList<TranscriptFile> files, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteString("channel", header.Channel);
        json.WriteStartObject("ticket");
        json.WriteString("ref", header.TicketRef);
        json.WriteString("title", header.TicketTitle);
        json.WriteString("url", header.TicketUrl);
        json.WriteEndObject();
        if (header.First is not null || header.Last is not null)
        {
            json.WriteStartObject("period");
            OptionalTime(json, "first", header.First);
            OptionalTime(json, "last", header.Last);
            json.WriteEndObject();
        }
        json.WriteStartObject("counts");
        json.WriteNumber("messages", header.MessageCount);
        json.WriteNumber("threads", header.ThreadCount);
        json.WriteNumber("files", header.FileCount);
        json.WriteEndObject();
        Strings(json, "participants", header.Participants);

        var any = false;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            if (!any)
            {
                json.WriteStartArray("messages");
                any = true;
            }
            Message(json, entry.Message, entry.Replies, entry.OrphanReply ? entry.Message.ThreadId : null);
            if (json.BytesPending >= FlushThreshold)
            {
                await json.FlushAsync(ct);
            }
        }
        if (any)
        {
            json.WriteEndArray();
        }

        if (files.Count > 0)
        {
            json.WriteStartArray("files");
            foreach (var f in files)
            {
                json.WriteStartObject();
                json.WriteString("id", f.FileId);
                json.WriteString("name", f.Name);
                OptionalString(json, "contentType", f.ContentType);
                json.WriteNumber("size", f.Size);
                // A file whose bytes were not kept has neither a hash nor a link.
                OptionalString(json, "sha256", f.Sha256.Length == 0 ? null : f.Sha256);
                OptionalString(json, "link", f.Link.Length == 0 ? null : f.Link);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return json.BytesCommitted;
    }

    private static void Message(Utf8JsonWriter json, ChatMessage m, IReadOnlyList<ChatMessage> replies, string? orphanReplyOf)
    {
        json.WriteStartObject();
        json.WriteString("id", m.Id);
        json.WriteString("ts", Timestamp(m.Timestamp));
        json.WriteStartObject("user");
        json.WriteString("username", m.Username);
        OptionalString(json, "name", m.DisplayName);
        json.WriteEndObject();
        if (m.Text.Length > 0)
        {
            json.WriteString("text", m.Text);
        }
        OptionalString(json, "system", m.SystemType);
        if (m.EditedAt is { } editedAt)
        {
            json.WriteStartObject("edited");
            json.WriteString("at", Timestamp(editedAt));
            OptionalString(json, "by", m.EditedBy);
            json.WriteEndObject();
        }
        if (m.SystemType == "rm")
        {
            json.WriteBoolean("deleted", true);
        }
        if (m.Pinned)
        {
            json.WriteBoolean("pinned", true);
        }
        Reactions(json, m.Reactions);
        Strings(json, "mentions", m.Mentions);
        Links(json, m.Links);
        Attachments(json, m.Attachments);
        Strings(json, "files", m.Files?.Select(f => f.Id).ToList());
        if (replies.Count > 0)
        {
            json.WriteStartArray("replies");
            foreach (var reply in replies)
            {
                Message(json, reply, [], null);
            }
            json.WriteEndArray();
        }
        OptionalString(json, "orphanReplyOf", orphanReplyOf);
        json.WriteEndObject();
    }

    private static void Reactions(Utf8JsonWriter json, IReadOnlyDictionary<string, IReadOnlyList<string>>? reactions)
    {
        if (reactions is not { Count: > 0 })
        {
            return;
        }
        json.WriteStartObject("reactions");
        // Dictionary order is not part of the data: emoji are sorted so equal reactions give equal bytes.
        foreach (var (emoji, users) in reactions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            json.WriteStartArray(emoji);
            foreach (var user in users)
            {
                json.WriteStringValue(user);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void Links(Utf8JsonWriter json, IReadOnlyList<ChatLink>? links)
    {
        if (links is not { Count: > 0 })
        {
            return;
        }
        json.WriteStartArray("links");
        foreach (var l in links)
        {
            json.WriteStartObject();
            json.WriteString("url", l.Url);
            OptionalString(json, "title", l.Title);
            OptionalString(json, "description", l.Description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void Attachments(Utf8JsonWriter json, IReadOnlyList<ChatAttachment>? attachments)
    {
        if (attachments is not { Count: > 0 })
        {
            return;
        }
        json.WriteStartArray("attachments");
        foreach (var a in attachments)
        {
            json.WriteStartObject();
            OptionalString(json, "title", a.Title);
            OptionalString(json, "titleLink", a.TitleLink);
            OptionalString(json, "text", a.Text);
            OptionalString(json, "author", a.AuthorName);
            OptionalString(json, "messageLink", a.MessageLink);
            OptionalString(json, "imageUrl", a.ImageUrl);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return;
        }
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }

    private static void OptionalString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void OptionalTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, Timestamp(v));
        }
    }
}
