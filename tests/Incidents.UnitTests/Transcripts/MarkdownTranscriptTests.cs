using Incidents.Chat;
using Incidents.Transcripts;

namespace Incidents.UnitTests.Transcripts;

public sealed class MarkdownTranscriptTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 15, 2, 345, TimeSpan.Zero);
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");

    private static ChatMessage Msg(string id, int second, string user, string text, string? tmid = null) =>
        new(id, T0.AddSeconds(second), user, null, text, ThreadId: tmid);

    private static TranscriptModel Model(IEnumerable<ChatMessage> history) =>
        TranscriptModel.Build("inc-octo-repo-42-abcd1234", "DB outage", "https://github.com/octo/repo/issues/42", history);

    [Fact]
    public void Build_ThreadReplies_AreNestedUnderTheirRootInTimeOrder()
    {
        var model = Model([Msg("c", 3, "bob", "second reply", "a"), Msg("a", 1, "alice", "root"), Msg("b", 2, "bob", "first reply", "a"), Msg("d", 4, "carol", "later")]);
        Assert.Equal(["a", "d"], model.Entries.Select(e => e.Message.Id));
        Assert.Equal(["b", "c"], model.Entries[0].Replies.Select(r => r.Id));
        Assert.Equal(4, model.MessageCount);
        Assert.Equal(1, model.ThreadCount);
        Assert.Equal(["alice", "bob", "carol"], model.Participants);
    }

    [Fact]
    public void Render_SmallChannel_IsOnePartWithMarkerHeaderAndEveryMessage()
    {
        var edited = Msg("b", 2, "bob", "fixed typo") with { EditedAt = T0.AddMinutes(1), EditedBy = "bob" };
        var file = Msg("c", 3, "alice", "logs") with { Files = [new ChatFile("f1", "db.log", "text/plain", 120, "/file-upload/f1/db.log")] };
        var join = Msg("d", 4, "carol", "carol") with { SystemType = "uj" };
        var rendered = MarkdownTranscript.Render(Model([Msg("a", 1, "alice", "root"), Msg("r", 2, "bob", "in thread", "a"), edited, file, join]), ChannelId, 65_000);

        var comment = Assert.Single(rendered.Comments);
        Assert.True(TranscriptMarker.TryParse(comment, out var part, out var parts, out var sha, out var content));
        Assert.Equal((1, 1, rendered.Sha256), (part, parts, sha));
        Assert.Equal(rendered.Sha256, MarkdownTranscript.Hash([content]));
        Assert.Contains("(part 1 of 1)", content);
        Assert.Contains("`2026-03-01 10:15:03` **@alice**\nroot", content);
        Assert.Contains("> ↳ `2026-03-01 10:15:04` **@bob**", content);
        Assert.Contains("_(edited by @bob 2026-03-01 10:16:02)_", content);
        Assert.Contains("📎 [db.log](/file-upload/f1/db.log) (120 bytes)", content);
        Assert.Contains("_@carol joined_", content);
    }

    [Fact]
    public void Render_LargeChannel_SplitsBelowTheLimitBetweenMessagesAndNeverInsideACodeBlock()
    {
        var code = "```sql\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"SELECT {i} FROM t;")) + "\n```";
        var history = Enumerable.Range(0, 400).Select(i => Msg($"m{i:D4}", i, i % 2 == 0 ? "alice" : "bob", i % 3 == 0 ? code : new string('x', 900))).ToList();
        const int limit = 20_000;
        var rendered = MarkdownTranscript.Render(Model(history), ChannelId, limit);

        Assert.True(rendered.Comments.Count > 10);
        var contents = new List<string>();
        for (var i = 0; i < rendered.Comments.Count; i++)
        {
            var comment = rendered.Comments[i];
            Assert.True(comment.Length <= limit, $"part {i + 1} has {comment.Length} characters");
            Assert.True(TranscriptMarker.TryParse(comment, out var part, out var parts, out _, out var content));
            Assert.Equal((i + 1, rendered.Comments.Count), (part, parts));
            Assert.Contains($"(part {i + 1} of {rendered.Comments.Count})", content);
            Assert.Equal(0, content.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
            contents.Add(content);
        }
        Assert.Equal(rendered.Sha256, MarkdownTranscript.Hash(contents));
        var all = string.Concat(contents);
        Assert.All(history, m => Assert.Contains($"`{m.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss}` **@{m.Username}**", all));
    }

    [Fact]
    public void Render_UnclosedCodeFence_IsClosedWithinItsMessage()
    {
        var rendered = MarkdownTranscript.Render(Model([Msg("a", 1, "alice", "```\nunterminated"), Msg("b", 2, "bob", "after")]), ChannelId, 65_000);
        TranscriptMarker.TryParse(rendered.Comments[0], out _, out _, out _, out var content);
        var beforeBob = content[..content.IndexOf("**@bob**", StringComparison.Ordinal)];
        Assert.Equal(0, beforeBob.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
    }

    [Fact]
    public void Render_SameHistoryInAnyOrder_GivesTheSameHash()
    {
        var history = Enumerable.Range(0, 50).Select(i => Msg($"m{i}", i, "alice", $"message {i}")).ToList();
        var a = MarkdownTranscript.Render(Model(history), ChannelId, 65_000);
        var b = MarkdownTranscript.Render(Model(Enumerable.Reverse(history)), ChannelId, 65_000);
        Assert.Equal(a.Sha256, b.Sha256);
    }

    [Fact]
    public void TryParse_CommentWithoutMarker_IsNotATranscript() =>
        Assert.False(TranscriptMarker.TryParse("just a comment\n<!-- incidents:transcript -->", out _, out _, out _, out _));

    [Fact]
    public void TryParse_CrLfLineEndingsFromTheTicketSystem_AreNormalised()
    {
        var rendered = MarkdownTranscript.Render(Model([Msg("a", 1, "alice", "line one\nline two")]), ChannelId, 65_000);
        Assert.True(TranscriptMarker.TryParse(rendered.Comments[0].Replace("\n", "\r\n", StringComparison.Ordinal), out _, out _, out var sha, out var content));
        Assert.Equal(sha, MarkdownTranscript.Hash([content]));
    }
}
