using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Chat;
using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Transcripts;

/// <summary>Reads a captured channel back: its header figures, and its entries streamed in chronological order.</summary>
internal static class CapturedHistory
{
    /// <summary>What the header says about the ticket and the channel, besides the figures.</summary>
    public sealed record HeaderNames(string Channel, string TicketRef, string Title, string Url);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The header figures read from the database (3 queries), for channels too large to hold in memory and for retries.</summary>
    public static async Task<TranscriptHeader> HeaderAsync(IncidentsDbContext db, Guid channelId, HeaderNames names, int fileCount, CancellationToken ct)
    {
        var messages = db.CapturedMessages.Where(m => m.ChannelId == channelId);
        var span = await messages.GroupBy(m => m.ChannelId)
            .Select(g => new { Count = g.Count(), First = g.Min(m => m.Timestamp), Last = g.Max(m => m.Timestamp) })
            .SingleOrDefaultAsync(ct);
        var threads = span is null ? 0 : await messages.Where(m => m.ThreadId != null).Select(m => m.ThreadId).Distinct()
            .CountAsync(t => messages.Any(root => root.MessageId == t), ct);
        var participants = span is null ? [] : await messages.Where(m => m.SystemType == null).Select(m => m.Username).Distinct().ToListAsync(ct);
        participants.Sort(StringComparer.Ordinal); // the database's collation may not be ordinal
        return new TranscriptHeader(names.Channel, names.TicketRef, names.Title, names.Url, span?.Count ?? 0, threads, fileCount, span?.First, span?.Last, participants);
    }

    /// <summary>The same figures as <see cref="HeaderAsync"/>, from entries already read.</summary>
    public static TranscriptHeader Header(IReadOnlyList<TranscriptEntry> entries, HeaderNames names, int fileCount)
    {
        var messages = entries.SelectMany(e => e.Replies.Prepend(e.Message)).ToList();
        var ids = messages.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var threads = messages.Where(m => m.ThreadId is not null && ids.Contains(m.ThreadId)).Select(m => m.ThreadId).Distinct(StringComparer.Ordinal).Count();
        var participants = messages.Where(m => m.SystemType is null).Select(m => m.Username).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new TranscriptHeader(names.Channel, names.TicketRef, names.Title, names.Url, messages.Count, threads, fileCount,
            messages.Count == 0 ? null : messages.Min(m => m.Timestamp), messages.Count == 0 ? null : messages.Max(m => m.Timestamp), participants);
    }

    /// <summary>
    /// All entries in memory, when the channel has at most <paramref name="limit"/> messages (its capture counted them); null
    /// when it has more, and the renderings stream instead.
    /// </summary>
    public static async Task<List<TranscriptEntry>?> ReadAllAsync(DatabaseSetup database, Guid channelId, int limit, CancellationToken ct)
    {
        var entries = new List<TranscriptEntry>();
        var messages = 0;
        await foreach (var entry in EntriesAsync(database, channelId, ct))
        {
            messages += 1 + entry.Replies.Count;
            if (messages > limit)
            {
                return null;
            }
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>
    /// Roots in time order, each followed by its replies, straight from the database: the sort key of a reply
    /// is its root's time, so only one thread is ever held in memory. Reads through its own context (and
    /// connection) so the caller's context stays free for other queries while this one streams.
    /// </summary>
    public static async IAsyncEnumerable<TranscriptEntry> EntriesAsync(DatabaseSetup database, Guid channelId, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows =
            from m in db.CapturedMessages.AsNoTracking().Where(m => m.ChannelId == channelId)
            join r in db.CapturedMessages.AsNoTracking().Where(r => r.ChannelId == channelId) on m.ThreadId equals r.MessageId into roots
            from r in roots.DefaultIfEmpty()
            let isReply = r != null
            orderby isReply ? r!.Timestamp : m.Timestamp, isReply ? r!.MessageId : m.MessageId, isReply, m.Timestamp, m.MessageId
            select new { m.Json, IsReply = isReply };
        ChatMessage? root = null;
        var replies = new List<ChatMessage>();
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var message = JsonSerializer.Deserialize<ChatMessage>(row.Json, Json)!;
            if (row.IsReply)
            {
                replies.Add(message);
                continue;
            }
            if (root is not null)
            {
                yield return new TranscriptEntry(root, replies, OrphanReply: root.IsThreadReply);
                replies = [];
            }
            root = message;
        }
        if (root is not null)
        {
            yield return new TranscriptEntry(root, replies, OrphanReply: root.IsThreadReply);
        }
    }
}
