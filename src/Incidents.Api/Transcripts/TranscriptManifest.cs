using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Incidents.Transcripts;

/// <summary>
/// What an archived transcript consists of: counts, period, participants, the files and the SHA-256 of the
/// canonical JSON. Published in the ticket by the system's markup (<see cref="Markup.TicketMarkup.Manifest"/>), whose JSON verification reads back.
/// </summary>
internal sealed record TranscriptManifest(
    int MessageCount,
    int ThreadCount,
    IReadOnlyList<TranscriptFile> Files,
    DateTimeOffset? First,
    DateTimeOffset? Last,
    IReadOnlyList<string> Participants,
    string JsonSha256)
{
    public const string Format = "incidents.transcript-manifest/1";

    public long FileBytes => Files.Sum(f => f.Size);

    public static TranscriptManifest Create(TranscriptHeader header, IReadOnlyList<TranscriptFile> files, string jsonSha256) =>
        new(header.MessageCount, header.ThreadCount, files, header.First, header.Last, header.Participants, jsonSha256);

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("messages", MessageCount);
            json.WriteNumber("threads", ThreadCount);
            if (First is { } first)
            {
                json.WriteString("first", JsonTranscript.Timestamp(first));
            }
            if (Last is { } last)
            {
                json.WriteString("last", JsonTranscript.Timestamp(last));
            }
            json.WriteStartArray("participants");
            foreach (var p in Participants)
            {
                json.WriteStringValue(p);
            }
            json.WriteEndArray();
            json.WriteNumber("fileBytes", FileBytes);
            json.WriteStartArray("files");
            foreach (var f in Files)
            {
                json.WriteStartObject();
                json.WriteString("id", f.FileId);
                json.WriteString("name", f.Name);
                if (f.ContentType is not null)
                {
                    json.WriteString("contentType", f.ContentType);
                }
                json.WriteNumber("size", f.Size);
                json.WriteString("sha256", f.Sha256);
                json.WriteString("link", f.Link);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("jsonSha256", JsonSha256);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a manifest's JSON; null when it is not valid JSON or not a manifest.</summary>
    public static TranscriptManifest? FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Parse(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static TranscriptManifest? Parse(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("format", out var format) || format.GetString() != Format)
        {
            return null;
        }
        var files = m.GetProperty("files").EnumerateArray().Select(f => new TranscriptFile(
            f.GetProperty("id").GetString()!,
            f.GetProperty("name").GetString()!,
            f.TryGetProperty("contentType", out var ct) ? ct.GetString() : null,
            f.GetProperty("size").GetInt64(),
            f.GetProperty("sha256").GetString()!,
            f.GetProperty("link").GetString()!)).ToList();
        return new TranscriptManifest(
            m.GetProperty("messages").GetInt32(),
            m.GetProperty("threads").GetInt32(),
            files,
            Time(m, "first"),
            Time(m, "last"),
            [.. m.GetProperty("participants").EnumerateArray().Select(p => p.GetString()!)],
            m.GetProperty("jsonSha256").GetString()!);
    }

    private static DateTimeOffset? Time(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v)
            ? DateTimeOffset.Parse(v.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
}
