using Incidents.Chat;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Transcripts;

/// <summary>Transcript notes in plain text (PagerDuty): readable as they are, and parsed, hashed and read back exactly.</summary>
public sealed class PlainTextTranscriptTests
{
    private static readonly PlainTextMarkup Plain = PlainTextMarkup.Instance;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 15, 2, 345, TimeSpan.Zero);
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");
    private static readonly string TranscriptSha = new('7', 64);
    private static readonly IReadOnlyDictionary<string, TranscriptFile> NoFiles = new Dictionary<string, TranscriptFile>();

    private static ChatMessage Msg(string id, int second, string user, string text, string? tmid = null) =>
        new(id, Start.AddSeconds(second), user, null, text, ThreadId: tmid);

    private static TranscriptModel Model(IEnumerable<ChatMessage> history) =>
        TranscriptModel.Build("inc-pgr0vu2-abcd1234", "Checkout <down> & **slow**", "https://acme.pagerduty.com/incidents/PGR0VU2", history);

    private static TranscriptHeader Header(TranscriptModel m) =>
        new(m.Channel, "PGR0VU2", m.TicketTitle, m.TicketUrl, m.MessageCount, m.ThreadCount, 0, m.First, m.Last, m.Participants);

    private static async Task<List<string>> Notes(TranscriptModel model, int limit, IReadOnlyDictionary<string, TranscriptFile>? files = null, string manifest = "Manifest\n")
    {
        var header = Header(model);
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(Plain, model.Entries.ToAsyncEnumerable(), files ?? NoFiles, manifest, TranscriptComments.BodyBudget(Plain, limit, header), CancellationToken.None))
        {
            bodies.Add(body);
        }
        return [.. bodies.Select((b, i) => TranscriptComments.Comment(Plain, ChannelId, i + 1, bodies.Count, TranscriptSha, header, b))];
    }

    [Fact]
    public async Task Render_SmallChannel_IsOneNoteOfPlainLinesWithMarkerHeaderMessagesAndManifest()
    {
        var edited = Msg("b", 2, "bob", "fixed typo") with { EditedAt = Start.AddMinutes(1), EditedBy = "bob" };
        var file = Msg("c", 3, "alice", "logs") with { Files = [new ChatFile("f1", "db.log", "text/plain", 120, "/file-upload/f1/db.log")] };
        var join = Msg("d", 4, "carol", "carol") with { SystemType = "uj" };
        var kept = new Dictionary<string, TranscriptFile> { ["f1"] = new("f1", "db.log", "text/plain", 120, new string('a', 64), "https://svc/transcripts/x/files/f1?sig=1") };
        var notes = await Notes(Model([Msg("a", 1, "alice", "root"), Msg("r", 2, "bob", "in thread", "a"), edited, file, join]), 25_000, kept);

        var note = Assert.Single(notes);
        Assert.StartsWith("[incidents:transcript channel=0195a0b0000070008000000000000001 part=1/1 sha256=", note);
        var parsed = TranscriptMarker.TryParse(note, Plain);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1, TranscriptSha), (parsed.Part, parsed.Parts, parsed.TranscriptSha256));
        Assert.Equal(TranscriptComments.Sha256(parsed.Body), parsed.PartSha256);
        Assert.Contains("\nChat transcript of #inc-pgr0vu2-abcd1234 (part 1 of 1)\nTicket: Checkout <down> & **slow** https://acme.pagerduty.com/incidents/PGR0VU2\n", note);
        Assert.Contains("\n[incidents:body]\n", note);
        Assert.Contains("[2026-03-01 10:15:03] @alice\nroot\n", parsed.Body);
        Assert.Contains("> ↳ [2026-03-01 10:15:04] @bob\n> in thread\n", parsed.Body);
        Assert.Contains("[2026-03-01 10:15:04] @bob (edited by @bob 2026-03-01 10:16:02)\nfixed typo\n", parsed.Body);
        Assert.Contains("File: db.log (120 bytes, sha256 aaaaaaaaaaaa…) https://svc/transcripts/x/files/f1?sig=1\n", parsed.Body);
        Assert.Contains("[2026-03-01 10:15:06] * @carol joined\n", parsed.Body);
        Assert.EndsWith("Manifest\n", parsed.Body);
        Assert.DoesNotContain("<!--", note);
    }

    [Fact]
    public async Task Render_TextWithMarkupCharacters_IsWrittenAsItWasSaid()
    {
        const string text = "a <b> & c **d** [e](f) `g` \\ h | i";
        var body = TranscriptMarker.TryParse((await Notes(Model([Msg("a", 1, "alice", text)]), 25_000))[0], Plain)!.Body;
        Assert.Contains("\n" + text + "\n", body);
    }

    [Fact]
    public async Task Render_CodeBlock_KeepsItsFencesAndEveryLineExactly()
    {
        const string code = "  SELECT *\n    FROM t  \n\n-- done";
        var body = TranscriptMarker.TryParse((await Notes(Model([Msg("a", 1, "alice", $"look:\n```sql\n{code}\n```\nafter")]), 25_000))[0], Plain)!.Body;
        Assert.Contains($"look:\n```sql\n{code}\n```\nafter\n", body);
    }

    [Fact]
    public async Task Render_UnclosedCodeFence_IsClosedWithinItsMessage()
    {
        var body = TranscriptMarker.TryParse((await Notes(Model([Msg("a", 1, "alice", "```\nunterminated"), Msg("b", 2, "bob", "after")]), 25_000))[0], Plain)!.Body;
        Assert.Contains("```\nunterminated\n```\n", body);
        var beforeBob = body[..body.IndexOf("@bob", StringComparison.Ordinal)];
        Assert.Equal(0, beforeBob.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
    }

    [Fact]
    public async Task Render_LargeChannel_SplitsBelowTheNoteLimitIntoParsableParts()
    {
        var history = Enumerable.Range(0, 300).Select(i => Msg($"m{i:D4}", i, "alice", i % 5 == 0 ? "```\n" + new string('c', 300) + "\n```" : new string('x', 400))).ToList();
        const int limit = 5_000;
        var notes = await Notes(Model(history), limit);

        Assert.True(notes.Count > 20);
        for (var i = 0; i < notes.Count; i++)
        {
            Assert.True(notes[i].Length <= limit, $"part {i + 1} has {notes[i].Length} characters");
            var parsed = TranscriptMarker.TryParse(notes[i], Plain)!;
            Assert.Equal((i + 1, notes.Count), (parsed.Part, parsed.Parts));
            Assert.Equal(TranscriptComments.Sha256(parsed.Body), parsed.PartSha256);
        }
    }

    [Fact]
    public void TryParse_MarkdownTranscriptComment_IsNotAPlainTextOne() =>
        Assert.Null(TranscriptMarker.TryParse("<!-- incidents:transcript channel=0195a0b0000070008000000000000001 part=1/1 sha256=" + new string('a', 64)
            + " transcript=" + new string('b', 64) + " -->\nheader\n<!-- incidents:body -->\nbody", Plain));

    [Fact]
    public void Manifest_ReadBack_RoundTripsExactly()
    {
        var manifest = new TranscriptManifest(8, 1, [Image, Log with { Name = "db|prod\n[1].log", ContentType = null }], T0, T0.AddDays(1), ["alice", "bob"], new string('c', 64));
        var text = Plain.Manifest(manifest);

        var read = Plain.ReadManifest(text);
        Assert.NotNull(read);
        Assert.Equal(manifest.ToJson(), read.ToJson());
        Assert.Contains("JSON SHA-256: " + new string('c', 64) + "\n", text);
        Assert.Contains("- db|prod [1].log, ", text);
    }

    [Fact]
    public async Task Manifest_InTheLastNote_IsFoundAfterMessagesThatLookLikeOne()
    {
        var manifest = new TranscriptManifest(1, 0, [], T0, T0, ["alice"], new string('e', 64));
        var decoy = "```json\n{\"format\":\"incidents.transcript-manifest/1\",\"jsonSha256\":\"" + new string('0', 64) + "\"}\n```";
        var notes = await Notes(Model([Msg("a", 1, "alice", decoy)]), 25_000, manifest: Plain.Manifest(manifest));
        var body = TranscriptMarker.TryParse(notes[^1], Plain)!.Body;

        var text = TranscriptComments.ManifestText(Plain, [body]);
        Assert.Equal(new string('e', 64), Plain.ReadManifest(text!)!.JsonSha256);
    }

    [Fact]
    public void Manifest_EmptyChannel_RoundTrips()
    {
        var manifest = new TranscriptManifest(0, 0, [], null, null, [], new string('d', 64));
        Assert.Equal(manifest.ToJson(), Plain.ReadManifest(Plain.Manifest(manifest))!.ToJson());
    }

    [Theory]
    [InlineData("no manifest here")]
    [InlineData("```json\n{not json\n```")]
    [InlineData("```json\n{\"format\":\"incidents.transcript-manifest/1\"")]
    public void Manifest_NotThere_ReadsAsNull(string text) => Assert.Null(Plain.ReadManifest(text));
}
