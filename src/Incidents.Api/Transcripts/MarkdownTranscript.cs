using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Incidents.Chat;

namespace Incidents.Transcripts;

/// <summary>
/// The Markdown rendering, as ticket comments: bodies are filled message by message below the ticket system's
/// limit (a message's Markdown, code blocks included, is never cut between parts), and each comment is the
/// marker, a visible "part i of n" header, and its body. The last body ends with the manifest.
/// </summary>
internal static class MarkdownTranscript
{
    private const string Time = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Room left for a body once the marker and the header are in the comment.</summary>
    public static int BodyBudget(int maxCommentLength, TranscriptHeader header)
    {
        var overhead = TranscriptMarker.Line(Guid.Empty, 99_999, 99_999, new string('0', 64), new string('0', 64)).Length
            + Header(header, 99_999, 99_999).Length + TranscriptMarker.BodyStart.Length + 4;
        var budget = maxCommentLength - overhead;
        return budget >= 1000 ? budget : throw new ArgumentOutOfRangeException(nameof(maxCommentLength), "the comment limit leaves no room for messages");
    }

    /// <summary>The bodies of the parts, streamed; each at most <paramref name="budget"/> characters, LF line endings.</summary>
    public static async IAsyncEnumerable<string> BodiesAsync(IAsyncEnumerable<TranscriptEntry> entries, IReadOnlyDictionary<string, TranscriptFile> files,
        string manifest, int budget, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = new StringBuilder();
        var any = false;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            any = true;
            foreach (var block in Blocks(entry, files))
            {
                foreach (var piece in block.Length <= budget ? [block] : SplitLines(block, budget))
                {
                    if (current.Length + piece.Length > budget && current.Length > 0)
                    {
                        yield return current.ToString();
                        current.Clear();
                    }
                    current.Append(piece);
                }
            }
        }
        if (!any)
        {
            current.Append("_The channel had no messages._\n\n");
        }
        // The manifest closes the transcript; with many files it may need parts of its own (split between lines).
        var tail = "---\n\n" + TranscriptMarker.ManifestStart + "\n" + manifest.ReplaceLineEndings("\n");
        foreach (var piece in tail.Length <= budget ? [tail] : SplitLines(tail, budget))
        {
            if (current.Length + piece.Length > budget && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
            current.Append(piece);
        }
        yield return current.ToString();
    }

    /// <summary>The manifest as published: read back from the last bodies, which may split it between parts.</summary>
    public static string? ManifestText(IReadOnlyList<string> bodiesInOrder)
    {
        var text = "";
        for (var i = bodiesInOrder.Count - 1; i >= 0; i--)
        {
            text = bodiesInOrder[i] + text;
            var start = text.LastIndexOf(TranscriptMarker.ManifestStart, StringComparison.Ordinal);
            if (start >= 0)
            {
                return text[start..];
            }
        }
        return null;
    }

    public static string Comment(Guid channelId, int part, int parts, string transcriptSha256, TranscriptHeader header, string body) =>
        TranscriptMarker.Line(channelId, part, parts, Sha256(body), transcriptSha256) + "\n"
        + Header(header, part, parts) + TranscriptMarker.BodyStart + "\n" + body;

    public static string Sha256(string body) => TranscriptMarker.Sha256Utf8(body);

    private static string Header(TranscriptHeader m, int part, int parts)
    {
        var period = m.First is null ? "no messages" : $"{m.First.Value.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture)} – {m.Last!.Value.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture)} UTC";
        var people = m.Participants.Count == 0 ? "none" : string.Join(", ", m.Participants.Select(p => "@" + p));
        return string.Create(CultureInfo.InvariantCulture,
            $"### Chat transcript of `#{m.Channel}` (part {part} of {parts})\n\n" +
            $"**Ticket:** [{Escape(m.TicketTitle)}]({m.TicketUrl})  \n**Period:** {period}  \n" +
            $"**Messages:** {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)  \n**Participants:** {people}\n\n");
    }

    /// <summary>One block per message; replies are quoted under their root.</summary>
    private static IEnumerable<string> Blocks(TranscriptEntry entry, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        yield return Message(entry.Message, entry.OrphanReply ? "↳ (reply in a removed thread) " : "", files).ReplaceLineEndings("\n");
        foreach (var reply in entry.Replies)
        {
            yield return Quote(Message(reply, "↳ ", files).ReplaceLineEndings("\n"));
        }
    }

    private static string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = m.Timestamp.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture);
        if (m.IsSystem)
        {
            return $"{prefix}`{ts}` _{SystemText(m)}_\n\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{prefix}`{ts}` **@{m.Username}**");
        if (m.EditedAt is { } edited)
        {
            sb.Append(CultureInfo.InvariantCulture, $" _(edited{(m.EditedBy is null ? "" : " by @" + m.EditedBy)} {edited.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture)})_");
        }
        if (m.Pinned)
        {
            sb.Append(" 📌 pinned");
        }
        sb.Append('\n');
        if (m.Text.Length > 0)
        {
            sb.Append(BalancedFences(m.Text)).Append('\n');
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"📎 [{Escape(f.Name)}]({kept.Link}) ({kept.Size} bytes, sha256 `{kept.Sha256[..12]}…`)\n")
                : $"📎 {Escape(f.Name)} (file not kept)\n");
        }
        foreach (var a in m.Attachments ?? [])
        {
            var title = a.Title ?? a.AuthorName ?? "attachment";
            var link = a.TitleLink ?? a.MessageLink;
            sb.Append(link is null ? $"> {Escape(title)}" : $"> [{Escape(title)}]({link})");
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append(": ").Append(a.Text.ReplaceLineEndings(" "));
            }
            sb.Append('\n');
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"> 🔗 [{Escape(l.Title!)}]({l.Url})\n");
        }
        if (m.Reactions is { Count: > 0 } reactions)
        {
            sb.Append(string.Join(" ", reactions.Select(r => $"{r.Key} {r.Value.Count} ({string.Join(", ", r.Value.Select(u => "@" + u))})"))).Append('\n');
        }
        return sb.Append('\n').ToString();
    }

    private static string SystemText(ChatMessage m) => m.SystemType switch
    {
        "uj" => $"@{m.Username} joined",
        "ul" => $"@{m.Username} left",
        "au" => $"@{m.Username} added @{m.Text}",
        "ru" => $"@{m.Username} removed @{m.Text}",
        "room_changed_topic" => $"@{m.Username} set the topic: {m.Text.ReplaceLineEndings(" ")}",
        "room_changed_description" => $"@{m.Username} set the description: {m.Text.ReplaceLineEndings(" ")}",
        "room-archived" => $"@{m.Username} archived the channel",
        "room-unarchived" => $"@{m.Username} unarchived the channel",
        "message_pinned" => $"@{m.Username} pinned a message",
        "rm" => $"message by @{m.Username} removed{(m.EditedAt is { } at ? " at " + at.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture) : "")}",
        "r" => $"@{m.Username} renamed the channel to {m.Text}",
        _ => $"{m.SystemType} by @{m.Username}{(m.Text.Length > 0 ? ": " + m.Text.ReplaceLineEndings(" ") : "")}",
    };

    /// <summary>Closes a code fence the author left open so it cannot swallow the rest of the transcript.</summary>
    private static string BalancedFences(string text)
    {
        var fences = text.Split('\n').Count(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        return fences % 2 == 0 ? text : text + "\n```";
    }

    private static string Quote(string block) =>
        string.Join('\n', block.TrimEnd('\n').Split('\n').Select(l => "> " + l)) + "\n\n";

    private static string Escape(string text) => text.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    /// <summary>Only a single message larger than a whole comment is split, and then at line boundaries.</summary>
    private static IEnumerable<string> SplitLines(string block, int budget)
    {
        var sb = new StringBuilder();
        var lines = block.Split('\n');
        var count = block.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var l = lines[i].Length + 1 > budget ? lines[i][..(budget - 1)] : lines[i];
            if (sb.Length + l.Length + 1 > budget)
            {
                yield return sb.ToString();
                sb.Clear();
            }
            sb.Append(l);
            if (i < lines.Length - 1)
            {
                sb.Append('\n');
            }
        }
        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }
}
