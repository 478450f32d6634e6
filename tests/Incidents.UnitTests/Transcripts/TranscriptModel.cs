using Incidents.Chat;
using Incidents.Transcripts;

namespace Incidents.UnitTests.Transcripts;

/// <summary>
/// A channel's history grouped in memory the way the service streams it from the database (roots in time order,
/// replies under their root): lets renderer tests build entries without a database.
/// </summary>
internal sealed record TranscriptModel(
    string Channel,
    string TicketTitle,
    string TicketUrl,
    IReadOnlyList<TranscriptEntry> Entries,
    int MessageCount,
    int ThreadCount,
    IReadOnlyList<string> Participants,
    DateTimeOffset? First,
    DateTimeOffset? Last)
{
    /// <summary>Builds the model from history as the chat returns it (any order).</summary>
    public static TranscriptModel Build(string channel, string ticketTitle, string ticketUrl, IEnumerable<ChatMessage> history)
    {
        var all = history.OrderBy(m => m.Timestamp).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        var byId = all.Where(m => !m.IsThreadReply).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var replies = all.Where(m => m.IsThreadReply && byId.Contains(m.ThreadId!)).ToLookup(m => m.ThreadId!, StringComparer.Ordinal);
        var entries = all
            .Where(m => !m.IsThreadReply || !byId.Contains(m.ThreadId!))
            .Select(m => new TranscriptEntry(m, [.. replies[m.Id]], OrphanReply: m.IsThreadReply))
            .ToList();
        var participants = all.Where(m => !m.IsSystem).Select(m => m.Username).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new TranscriptModel(channel, ticketTitle, ticketUrl, entries, all.Count, entries.Count(e => e.Replies.Count > 0), participants,
            all.Count == 0 ? null : all[0].Timestamp, all.Count == 0 ? null : all[^1].Timestamp);
    }
}
