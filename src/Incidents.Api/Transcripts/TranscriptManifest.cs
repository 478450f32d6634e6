using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Incidents.Transcripts;

/// <summary>
/// What an archived transcript consists of: counts, period, participants, the files and the SHA-256 of the
/// canonical JSON. Posted to the ticket as Markdown ending in a fenced json block that verification reads back.
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

    private const string Fence = "```";

    public long FileBytes => Files.Sum(f => f.Size);

    public static TranscriptManifest Create(TranscriptHeader header, IReadOnlyList<TranscriptFile> files, string jsonSha256) =>
        new(header.MessageCount, header.ThreadCount, files, header.First, header.Last, header.Participants, jsonSha256);

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var period = First is { } first && Last is { } last
            ? $"{first.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv)} – {last.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv)} UTC"
            : "no messages";
        var people = Participants.Count == 0 ? "none" : string.Join(", ", Participants.Select(p => "@" + p));
        var sb = new StringBuilder();
        sb.Append("#### Transcript manifest\n\n");
        sb.Append(inv, $"**Messages:** {MessageCount} ({ThreadCount} threads)  \n");
        sb.Append(inv, $"**Period:** {period}  \n");
        sb.Append(inv, $"**Participants:** {people}  \n");
        sb.Append(inv, $"**Files:** {Files.Count} ({FileBytes} bytes)  \n");
        sb.Append(inv, $"**JSON SHA-256:** `{JsonSha256}`\n\n");
        if (Files.Count > 0)
        {
            sb.Append("| file | size (bytes) | sha256 |\n| --- | ---: | --- |\n");
            foreach (var f in Files)
            {
                sb.Append(inv, $"| {Cell(f.Name)} | {f.Size} | {(f.Sha256.Length == 0 ? "not kept" : $"`{f.Sha256}`")} |\n");
            }
            sb.Append('\n');
        }
        return sb.Append(Fence).Append("json\n").Append(ToJson()).Append('\n').Append(Fence).Append('\n').ToString();
    }

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

    /// <summary>Reads the manifest back from the last fenced json block of a comment; null when there is none or it is not a manifest.</summary>
    public static TranscriptManifest? FromMarkdown(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var open = Array.FindLastIndex(lines, l => l.Trim() == Fence + "json");
        if (open < 0)
        {
            return null;
        }
        var close = Array.FindIndex(lines, open + 1, l => l.Trim() == Fence);
        if (close < 0)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(string.Join('\n', lines[(open + 1)..close]));
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

    private static string Cell(string text) =>
        text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
