using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Incidents.Chat;

namespace Incidents.Transcripts;

/// <summary>
/// Renders a transcript as Markdown comments: each part below the ticket system's limit, split only between
/// messages (a message's Markdown, code blocks included, is never cut), each starting with the hidden marker
/// and a "part i of n" header. The hash covers the parts' content without the markers.
/// </summary>
internal static class MarkdownTranscript
{
    private const string Time = "yyyy-MM-dd HH:mm:ss";

    public sealed record Rendered(IReadOnlyList<string> Comments, string Sha256);

    public static Rendered Render(TranscriptModel model, Guid channelId, int maxCommentLength)
    {
        var header = Header(model, 99_999, 99_999);
        var marker = TranscriptMarker.Line(channelId, 99_999, 99_999, new string('0', 64));
        var budget = maxCommentLength - header.Length - marker.Length - 2;
        if (budget < 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCommentLength), "the comment limit leaves no room for messages");
        }
        var chunks = Chunk(Blocks(model), budget);
        // Ticket systems may hand CRLF back as LF: the published text uses LF only, so the hash survives.
        var contents = chunks.Select((c, i) => (Header(model, i + 1, chunks.Count) + c).ReplaceLineEndings("\n")).ToList();
        var sha = Hash(contents);
        var comments = contents.Select((c, i) => TranscriptMarker.Line(channelId, i + 1, contents.Count, sha) + "\n" + c).ToList();
        return new Rendered(comments, sha);
    }

    public static string Hash(IEnumerable<string> contents)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var c in contents)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(c));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Header(TranscriptModel m, int part, int parts)
    {
        var period = m.First is null ? "no messages" : $"{m.First.Value.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture)} – {m.Last!.Value.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture)} UTC";
        var people = m.Participants.Count == 0 ? "none" : string.Join(", ", m.Participants.Select(p => "@" + p));
        return string.Create(CultureInfo.InvariantCulture,
            $"### Chat transcript of `#{m.Channel}` (part {part} of {parts})\n\n" +
            $"**Ticket:** [{Escape(m.TicketTitle)}]({m.TicketUrl})  \n**Period:** {period}  \n" +
            $"**Messages:** {m.MessageCount} ({m.ThreadCount} threads)  \n**Participants:** {people}\n\n---\n\n");
    }

    /// <summary>One block per message; replies are quoted under their root.</summary>
    private static IEnumerable<string> Blocks(TranscriptModel model)
    {
        if (model.Entries.Count == 0)
        {
            yield return "_The channel had no messages._\n";
        }
        foreach (var entry in model.Entries)
        {
            yield return Message(entry.Message, entry.OrphanReply ? "↳ (reply in a removed thread) " : "");
            foreach (var reply in entry.Replies)
            {
                yield return Quote(Message(reply, "↳ "));
            }
        }
    }

    private static string Message(ChatMessage m, string prefix)
    {
        var ts = m.Timestamp.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        if (m.IsSystem)
        {
            return $"{prefix}`{ts}` _{SystemText(m)}_\n\n";
        }
        sb.Append(CultureInfo.InvariantCulture, $"{prefix}`{ts}` **@{m.Username}**");
        if (m.EditedAt is { } edited)
        {
            sb.Append(CultureInfo.InvariantCulture, $" _(edited{(m.EditedBy is null ? "" : " by @" + m.EditedBy)} {edited.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture)})_");
        }
        if (m.Pinned)
        {
            sb.Append(" 📌");
        }
        sb.Append('\n');
        if (m.Text.Length > 0)
        {
            sb.Append(BalancedFences(m.Text)).Append('\n');
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"📎 [{Escape(f.Name)}]({f.Url}){(f.Size is null ? "" : $" ({f.Size} bytes)")}\n");
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
        if (m.Reactions is { Count: > 0 } reactions)
        {
            sb.Append(string.Join(" ", reactions.Select(r => $"{r.Key} {r.Value.Count}"))).Append('\n');
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
        "room-archived" => $"@{m.Username} archived the channel",
        "room-unarchived" => $"@{m.Username} unarchived the channel",
        "message_pinned" => $"@{m.Username} pinned a message",
        "rm" => "message removed",
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

    private static List<string> Chunk(IEnumerable<string> blocks, int budget)
    {
        var chunks = new List<string>();
        var current = new StringBuilder();
        foreach (var block in blocks)
        {
            foreach (var piece in block.Length <= budget ? [block] : SplitLines(block, budget))
            {
                if (current.Length + piece.Length > budget && current.Length > 0)
                {
                    chunks.Add(current.ToString());
                    current.Clear();
                }
                current.Append(piece);
            }
        }
        if (current.Length > 0 || chunks.Count == 0)
        {
            chunks.Add(current.ToString());
        }
        return chunks;
    }

    /// <summary>Only a single message larger than a whole comment is split, and then at line boundaries.</summary>
    private static IEnumerable<string> SplitLines(string block, int budget)
    {
        var sb = new StringBuilder();
        foreach (var line in block.Split('\n'))
        {
            var l = line.Length + 1 > budget ? line[..(budget - 1)] : line;
            if (sb.Length + l.Length + 1 > budget)
            {
                yield return sb.ToString();
                sb.Clear();
            }
            sb.Append(l).Append('\n');
        }
        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }
}
