using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Chat;
using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Transcripts;

/// <summary>Reads a captured channel back: its header figures, and its entries streamed in chronological order.</summary>
internal static class CapturedHistory
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<TranscriptHeader> HeaderAsync(IncidentsDbContext db, Guid channelId, string channel, string ticketRef, string title, string url, CancellationToken ct)
    {
        var messages = db.CapturedMessages.Where(m => m.ChannelId == channelId);
        var count = await messages.CountAsync(ct);
        var first = count == 0 ? (DateTimeOffset?)null : await messages.MinAsync(m => m.Timestamp, ct);
        var last = count == 0 ? (DateTimeOffset?)null : await messages.MaxAsync(m => m.Timestamp, ct);
        var threads = await messages.Where(m => m.ThreadId != null).Select(m => m.ThreadId).Distinct()
            .CountAsync(t => messages.Any(root => root.MessageId == t), ct);
        var participants = await messages.Where(m => m.SystemType == null).Select(m => m.Username).Distinct().OrderBy(u => u).ToListAsync(ct);
        var files = await db.CapturedFiles.CountAsync(f => f.ChannelId == channelId, ct);
        return new TranscriptHeader(channel, ticketRef, title, url, count, threads, files, first, last, participants);
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
