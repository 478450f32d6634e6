using System.Runtime.CompilerServices;
using System.Text;
using Incidents.Transcripts.Markup;

namespace Incidents.Transcripts;

/// <summary>
/// A transcript as ticket comments, in the ticket system's markup: bodies are filled message by message below the
/// system's limit (a message, code blocks included, is never cut between parts unless it alone is larger than a
/// comment), and each comment is the marker, a visible "part i of n" header, and its body. The last body ends
/// with the manifest.
/// </summary>
internal static class TranscriptComments
{
    /// <summary>Room left for a body once the marker and the header are in the comment.</summary>
    public static int BodyBudget(TicketMarkup markup, int maxCommentLength, TranscriptHeader header)
    {
        var overhead = markup.MarkerLine(TranscriptMarker.Text(Guid.Empty, 99_999, 99_999, new string('0', 64), new string('0', 64))).Length
            + markup.Header(header, 99_999, 99_999).Length + markup.BodyStart.Length + 4;
        var budget = maxCommentLength - overhead;
        return budget >= 1000 ? budget : throw new ArgumentOutOfRangeException(nameof(maxCommentLength), "the comment limit leaves no room for messages");
    }

    /// <summary>The bodies of the parts, streamed; each at most <paramref name="budget"/> characters, LF line endings.</summary>
    public static async IAsyncEnumerable<string> BodiesAsync(TicketMarkup markup, IAsyncEnumerable<TranscriptEntry> entries,
        IReadOnlyDictionary<string, TranscriptFile> files, string manifest, int budget, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = new StringBuilder();
        var any = false;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            any = true;
            foreach (var block in Blocks(markup, entry, files))
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
            current.Append(markup.NoMessages);
        }
        // The manifest closes the transcript; with many files it may need parts of its own (split between lines).
        var tail = markup.Rule + markup.ManifestStart + "\n" + manifest.ReplaceLineEndings("\n");
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
    public static string? ManifestText(TicketMarkup markup, IReadOnlyList<string> bodiesInOrder)
    {
        var text = "";
        for (var i = bodiesInOrder.Count - 1; i >= 0; i--)
        {
            text = bodiesInOrder[i] + text;
            var start = text.LastIndexOf(markup.ManifestStart, StringComparison.Ordinal);
            if (start >= 0)
            {
                return text[start..];
            }
        }
        return null;
    }

    public static string Comment(TicketMarkup markup, Guid channelId, int part, int parts, string transcriptSha256, TranscriptHeader header, string body) =>
        markup.MarkerLine(TranscriptMarker.Text(channelId, part, parts, Sha256(body), transcriptSha256)) + "\n"
        + markup.Header(header, part, parts) + markup.BodyStart + "\n" + body;

    public static string Sha256(string body) => TranscriptMarker.Sha256Utf8(body);

    /// <summary>One block per message; replies are set under their root.</summary>
    private static IEnumerable<string> Blocks(TicketMarkup markup, TranscriptEntry entry, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        yield return markup.Message(entry.Message, entry.OrphanReply ? "↳ (reply in a removed thread) " : "", files);
        foreach (var reply in entry.Replies)
        {
            yield return markup.Reply(markup.Message(reply, "↳ ", files));
        }
    }

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
