using Incidents.Chat;
using Incidents.Transcripts;

namespace Incidents.UnitTests.Transcripts;

/// <summary>One small channel that exercises every part of a message, shared by the rendering tests.</summary>
internal static class TranscriptSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 15, 2, 345, TimeSpan.Zero);

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    public static readonly TranscriptFile Image = new("f1", "graph.png", "image/png", Png.Length, new string('a', 64), "files/f1/graph.png");

    public static readonly TranscriptFile Log = new("f2", "db.log", "text/plain", 120, new string('b', 64), "files/f2/db.log");

    public static ChatMessage Msg(string id, int second, string user, string text, string? tmid = null) =>
        new(id, T0.AddSeconds(second), user, null, text, ThreadId: tmid);

    public static IReadOnlyList<TranscriptEntry> Entries()
    {
        var root = Msg("a", 1, "alice", "Deploy failed <script>alert(1)</script> see https://status.example.com/x?a=1&b=2") with
        {
            DisplayName = "Alice A.",
            Pinned = true,
            Mentions = ["bob"],
            Reactions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [":eyes:"] = ["carol"], [":+1:"] = ["bob", "carol"] },
            Links = [new ChatLink("https://status.example.com/x?a=1&b=2", "Status", "All systems <b>down</b>")],
        };
        var reply1 = Msg("b", 2, "bob", "looking", "a");
        var reply2 = Msg("c", 3, "carol", "fixed **now**", "a") with { EditedAt = T0.AddMinutes(1), EditedBy = "carol" };
        var removed = Msg("d", 4, "alice", "") with { SystemType = "rm", EditedAt = T0.AddMinutes(2), EditedBy = "alice" };
        var join = Msg("e", 5, "dave", "dave") with { SystemType = "uj" };
        var files = Msg("f", 6, "bob", "graph and logs") with
        {
            Files = [new ChatFile("f1", "graph.png", "image/png", Png.Length, "/file-upload/f1/graph.png"), new ChatFile("f2", "db.log", "text/plain", 120, "/file-upload/f2/db.log")],
            Attachments = [new ChatAttachment("Quoted", "https://chat.example.com/m/1", "earlier _words_", "erin", null, null)],
        };
        var orphan = Msg("g", 7, "erin", "reply to a removed thread", "gone");
        var nextDay = Msg("h", 86_400, "alice", "postmortem:\n```sql\nSELECT 1 < 2;\n```\ndone `x` _y_") with { DisplayName = "Alice A." };
        return
        [
            new TranscriptEntry(root, [reply1, reply2], false),
            new TranscriptEntry(removed, [], false),
            new TranscriptEntry(join, [], false),
            new TranscriptEntry(files, [], false),
            new TranscriptEntry(orphan, [], true),
            new TranscriptEntry(nextDay, [], false),
        ];
    }

    public static TranscriptHeader Header(IReadOnlyList<TranscriptEntry> entries) =>
        new("inc-octo-repo-42-abcd1234", "octo/repo#42", "DB <outage>", "https://github.com/octo/repo/issues/42",
            entries.Sum(e => 1 + e.Replies.Count), entries.Count(e => e.Replies.Count > 0), 2,
            entries.Count == 0 ? null : entries[0].Message.Timestamp, entries.Count == 0 ? null : entries[^1].Message.Timestamp,
            ["alice", "bob", "carol", "erin"]);

    public static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
