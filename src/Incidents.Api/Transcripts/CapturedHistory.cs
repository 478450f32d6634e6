using System.Runtime.CompilerServices;
using System.Text.Json;
using Incidents.Chat;
using Incidents.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
    /// is its root's time, so only one thread is ever held in memory.
    /// </summary>
    public static async IAsyncEnumerable<TranscriptEntry> EntriesAsync(IncidentsDbContext db, Guid channelId, [EnumeratorCancellation] CancellationToken ct)
    {
        // Its own connection: the caller keeps using the context (e.g. for file bytes) while this reader streams.
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT m.json, (m.thread_id IS NOT NULL AND r.message_id IS NOT NULL)
            FROM captured_messages m
            LEFT JOIN captured_messages r ON r.channel_id = m.channel_id AND r.message_id = m.thread_id
            WHERE m.channel_id = $1
            ORDER BY COALESCE(r.timestamp, m.timestamp), COALESCE(r.message_id, m.message_id),
                     (m.thread_id IS NOT NULL AND r.message_id IS NOT NULL), m.timestamp, m.message_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        ChatMessage? root = null;
        var replies = new List<ChatMessage>();
        while (await reader.ReadAsync(ct))
        {
            var message = JsonSerializer.Deserialize<ChatMessage>(reader.GetString(0), Json)!;
            if (reader.GetBoolean(1))
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
