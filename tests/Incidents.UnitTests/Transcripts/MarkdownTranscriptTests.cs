using Incidents.Transcripts.Markup;
using Incidents.Chat;
using Incidents.Transcripts;

namespace Incidents.UnitTests.Transcripts;

public sealed class MarkdownTranscriptTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 15, 2, 345, TimeSpan.Zero);
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");
    private static readonly string TranscriptSha = new('7', 64);
    private static readonly IReadOnlyDictionary<string, TranscriptFile> NoFiles = new Dictionary<string, TranscriptFile>();

    private static ChatMessage Msg(string id, int second, string user, string text, string? tmid = null) =>
        new(id, T0.AddSeconds(second), user, null, text, ThreadId: tmid);

    private static TranscriptModel Model(IEnumerable<ChatMessage> history) =>
        TranscriptModel.Build("inc-octo-repo-42-abcd1234", "DB outage", "https://github.com/octo/repo/issues/42", history);

    private static TranscriptHeader Header(TranscriptModel m) =>
        new(m.Channel, "octo/repo#42", m.TicketTitle, m.TicketUrl, m.MessageCount, m.ThreadCount, 0, m.First, m.Last, m.Participants);

    private static async Task<List<string>> Comments(TranscriptModel model, int limit, IReadOnlyDictionary<string, TranscriptFile>? files = null)
    {
        var header = Header(model);
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(MarkdownMarkup.Instance, model.Entries.ToAsyncEnumerable(), files ?? NoFiles, "**Manifest**\n", TranscriptComments.BodyBudget(MarkdownMarkup.Instance, limit, header), CancellationToken.None))
        {
            bodies.Add(body);
        }
        return [.. bodies.Select((b, i) => TranscriptComments.Comment(MarkdownMarkup.Instance, ChannelId, i + 1, bodies.Count, TranscriptSha, header, b))];
    }

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
    public async Task Render_SmallChannel_IsOnePartWithMarkerHeaderEveryMessageAndTheManifest()
    {
        var edited = Msg("b", 2, "bob", "fixed typo") with { EditedAt = T0.AddMinutes(1), EditedBy = "bob" };
        var file = Msg("c", 3, "alice", "logs") with { Files = [new ChatFile("f1", "db.log", "text/plain", 120, "/file-upload/f1/db.log")] };
        var join = Msg("d", 4, "carol", "carol") with { SystemType = "uj" };
        var removed = Msg("e", 5, "dave", "") with { SystemType = "rm", EditedAt = T0.AddMinutes(2) };
        var kept = new Dictionary<string, TranscriptFile> { ["f1"] = new("f1", "db.log", "text/plain", 120, new string('a', 64), "https://svc/transcripts/x/files/f1?sig=1") };
        var comments = await Comments(Model([Msg("a", 1, "alice", "root"), Msg("r", 2, "bob", "in thread", "a"), edited, file, join, removed]), 65_000, kept);

        var parsed = TranscriptMarker.TryParse(Assert.Single(comments));
        Assert.NotNull(parsed);
        Assert.Equal((1, 1, TranscriptSha), (parsed.Part, parsed.Parts, parsed.TranscriptSha256));
        Assert.Equal(TranscriptComments.Sha256(parsed.Body), parsed.PartSha256);
        Assert.Contains("(part 1 of 1)", comments[0]);
        Assert.Contains("`2026-03-01 10:15:03` **@alice**\nroot", parsed.Body);
        Assert.Contains("> ↳ `2026-03-01 10:15:04` **@bob**", parsed.Body);
        Assert.Contains("_(edited by @bob 2026-03-01 10:16:02)_", parsed.Body);
        Assert.Contains("📎 [db.log](https://svc/transcripts/x/files/f1?sig=1) (120 bytes, sha256 `aaaaaaaaaaaa…`)", parsed.Body);
        Assert.Contains("_@carol joined_", parsed.Body);
        Assert.Contains("_message by @dave removed at 2026-03-01 10:17:02_", parsed.Body);
        Assert.EndsWith("**Manifest**\n", parsed.Body);
    }

    [Fact]
    public async Task Render_LargeChannel_SplitsBelowTheLimitBetweenMessagesAndNeverInsideACodeBlock()
    {
        var code = "```sql\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"SELECT {i} FROM t;")) + "\n```";
        var history = Enumerable.Range(0, 400).Select(i => Msg($"m{i:D4}", i, i % 2 == 0 ? "alice" : "bob", i % 3 == 0 ? code : new string('x', 900))).ToList();
        const int limit = 20_000;
        var comments = await Comments(Model(history), limit);

        Assert.True(comments.Count > 10);
        var all = "";
        for (var i = 0; i < comments.Count; i++)
        {
            Assert.True(comments[i].Length <= limit, $"part {i + 1} has {comments[i].Length} characters");
            var parsed = TranscriptMarker.TryParse(comments[i])!;
            Assert.Equal((i + 1, comments.Count), (parsed.Part, parsed.Parts));
            Assert.Contains($"(part {i + 1} of {comments.Count})", comments[i]);
            Assert.Equal(0, parsed.Body.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
            all += parsed.Body;
        }
        Assert.All(history, m => Assert.Contains($"`{m.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss}` **@{m.Username}**", all));
    }

    [Fact]
    public async Task Render_UnclosedCodeFence_IsClosedWithinItsMessage()
    {
        var comments = await Comments(Model([Msg("a", 1, "alice", "```\nunterminated"), Msg("b", 2, "bob", "after")]), 65_000);
        var body = TranscriptMarker.TryParse(comments[0])!.Body;
        var beforeBob = body[..body.IndexOf("**@bob**", StringComparison.Ordinal)];
        Assert.Equal(0, beforeBob.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
    }

    [Fact]
    public async Task Render_SameHistoryInAnyOrder_GivesTheSameComments()
    {
        var history = Enumerable.Range(0, 50).Select(i => Msg($"m{i}", i, "alice", $"message {i}")).ToList();
        Assert.Equal(await Comments(Model(history), 65_000), await Comments(Model(Enumerable.Reverse(history)), 65_000));
    }

    [Fact]
    public void TryParse_CommentWithoutMarker_IsNotATranscript() =>
        Assert.Null(TranscriptMarker.TryParse("just a comment\n<!-- incidents:transcript -->"));

    [Fact]
    public async Task TryParse_CrLfLineEndingsFromTheTicketSystem_AreNormalised()
    {
        var comments = await Comments(Model([Msg("a", 1, "alice", "line one\r\nline two")]), 65_000);
        var parsed = TranscriptMarker.TryParse(comments[0].Replace("\n", "\r\n", StringComparison.Ordinal))!;
        Assert.Equal(parsed.PartSha256, TranscriptComments.Sha256(parsed.Body));
    }

    [Fact]
    public async Task Render_ManifestLargerThanAComment_IsSplitBetweenLinesAndReassembled()
    {
        var model = Model([Msg("a", 1, "alice", "hello")]);
        var header = Header(model);
        var manifest = "#### Transcript manifest\n\n```json\n" + string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"  \"file-{i:D5}\": \"{new string('f', 20)}\",")) + "\n```\n";
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(MarkdownMarkup.Instance, model.Entries.ToAsyncEnumerable(), NoFiles, manifest, TranscriptComments.BodyBudget(MarkdownMarkup.Instance, 20_000, header), CancellationToken.None))
        {
            bodies.Add(body);
        }

        Assert.True(bodies.Count >= 5);
        Assert.All(bodies, b => Assert.True(TranscriptComments.Comment(MarkdownMarkup.Instance, ChannelId, 1, bodies.Count, TranscriptSha, header, b).Length <= 20_000));
        Assert.Equal(manifest, TranscriptComments.ManifestText(MarkdownMarkup.Instance, bodies)![(MarkdownMarkup.Instance.ManifestStart.Length + 1)..]);
    }
}
