using Incidents.Tickets.GitLab;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Tickets.GitLab;

public sealed class GitLabMarkupTests
{
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");
    private static readonly string TranscriptSha = new('7', 64);
    private static readonly IReadOnlyDictionary<string, TranscriptFile> NoFiles = new Dictionary<string, TranscriptFile>();
    private static readonly GitLabMarkup Markup = GitLabMarkup.Instance;

    /// <summary>What GitLab's note storage does to text without quick actions: \r deleted, trailing whitespace stripped.</summary>
    private static string StoredByGitLab(string note) => note.Replace("\r", "", StringComparison.Ordinal).TrimEnd(' ', '\t', '\n', '\v', '\f', '\r', '\0');

    [Fact]
    public void Message_LinesStartingWithSlashOutsideCode_AreEscapedAndCodeIsLeftAlone()
    {
        var text = "/close\nnot /here\n```sh\n/usr/bin/env\n/close\n```\n/label ~resolved";

        var block = Markup.Message(Msg("a", 1, "bob", text), "", NoFiles);

        Assert.Equal("`2026-03-01 10:15:03` **@bob**\n\\/close\nnot /here\n```sh\n/usr/bin/env\n/close\n```\n\\/label ~resolved\n\n", block);
    }

    [Fact]
    public void Message_UnclosedFence_IsClosedAndItsLinesStayCode()
    {
        var block = Markup.Message(Msg("a", 1, "bob", "```\n/close"), "", NoFiles);

        Assert.Equal("`2026-03-01 10:15:03` **@bob**\n```\n/close\n```\n\n", block);
    }

    [Fact]
    public void Rendering_WithoutSlashLines_IsExactlyMarkdown()
    {
        foreach (var entry in Entries())
        {
            Assert.Equal(MarkdownMarkup.Instance.Message(entry.Message, "", NoFiles), Markup.Message(entry.Message, "", NoFiles));
        }
        var header = Header(Entries());
        Assert.Equal(MarkdownMarkup.Instance.Header(header, 1, 2), Markup.Header(header, 1, 2));
        Assert.Equal(MarkdownMarkup.Instance.MarkerLine("m"), Markup.MarkerLine("m"));
        Assert.Equal(MarkdownMarkup.Instance.Reply("x\n\\/y\n\n"), Markup.Reply("x\n\\/y\n\n"));
    }

    [Fact]
    public async Task Comments_StoredByGitLab_ComeBackByteForByteWithTheirManifest()
    {
        var filler = Enumerable.Range(0, 6).Select(i => new TranscriptEntry(Msg($"y{i}", 87_000 + i, "carol", string.Join(' ', Enumerable.Repeat("more status", 80))), [], false));
        var entries = Entries().Concat(filler).Append(new TranscriptEntry(Msg("z", 90_000, "bob", "/close\nthat was a command"), [], false)).ToList();
        var header = Header(entries);
        var manifest = new TranscriptManifest(header.MessageCount, header.ThreadCount, [Image, Log], header.First, header.Last, header.Participants, TranscriptSha);
        var files = new Dictionary<string, TranscriptFile> { ["f1"] = Image, ["f2"] = Log };
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(Markup, Async(entries), files, Markup.Manifest(manifest), TranscriptComments.BodyBudget(Markup, 4_000, header), CancellationToken.None))
        {
            bodies.Add(body);
        }
        Assert.True(bodies.Count > 1);

        var parsedBodies = new List<string>();
        for (var i = 0; i < bodies.Count; i++)
        {
            var comment = TranscriptComments.Comment(Markup, ChannelId, i + 1, bodies.Count, TranscriptSha, header, bodies[i]);
            var stored = StoredByGitLab(GitLabNoteBody.Encode(comment));
            var parsed = TranscriptMarker.TryParse(GitLabNoteBody.Decode(stored), Markup);
            Assert.NotNull(parsed);
            Assert.Equal(TranscriptComments.Sha256(bodies[i]), parsed.BodySha256());
            Assert.Equal(bodies[i], parsed.Body);
            parsedBodies.Add(parsed.Body);
        }
        var read = Markup.ReadManifest(TranscriptComments.ManifestText(Markup, parsedBodies)!);
        Assert.NotNull(read);
        Assert.Equal(TranscriptSha, read.JsonSha256);
        Assert.Equal([Image, Log], read.Files);
        Assert.Contains("```sql\nSELECT 1 < 2;\n```", string.Concat(parsedBodies));
        Assert.Contains("**@bob**\n\\/close\nthat was a command", string.Concat(parsedBodies));
    }

    [Theory]
    [InlineData("")]
    [InlineData("text")]
    [InlineData("text\n")]
    [InlineData("text\n\n\n")]
    [InlineData("text   ")]
    [InlineData("```\ncode\n```\n")]
    public void NoteBody_EncodedAndStripped_DecodesToTheSameText(string body) =>
        Assert.Equal(body, GitLabNoteBody.Decode(StoredByGitLab(GitLabNoteBody.Encode(body))));

    [Fact]
    public void NoteBody_SomebodyElsesNote_DecodesUnchanged() =>
        Assert.Equal("just a comment\n<!-- not ours -->", GitLabNoteBody.Decode("just a comment\n<!-- not ours -->"));

    [Fact]
    public void AttachmentNote_NamesItsUploadAndSize()
    {
        var note = GitLabNoteBody.Attachment("Chat transcript of #inc-1 (standalone HTML)",
            "[inc-1-transcript-0a1b2c3d.html](/uploads/66dbcd21ec5d24ed6ea225176098d52b/inc-1-transcript-0a1b2c3d.html)", 12345, new string('e', 64));

        var upload = Assert.Single(GitLabNoteBody.Uploads(note));

        Assert.Equal(("66dbcd21ec5d24ed6ea225176098d52b", "inc-1-transcript-0a1b2c3d.html", 12345L), upload);
        Assert.StartsWith(GitLabNoteBody.AttachmentMarker + "\n📎 ", note);
        Assert.Empty(GitLabNoteBody.Uploads("[x.html](/uploads/66dbcd21ec5d24ed6ea225176098d52b/x.html)")); // not our note
    }

    [Theory]
    [InlineData("/uploads/66dbcd21ec5d24ed6ea225176098d52b/dk.png", "66dbcd21ec5d24ed6ea225176098d52b", "dk.png")]
    [InlineData("/uploads/66dbcd21ec5d24ed6ea225176098d52b/a%20b.html", "66dbcd21ec5d24ed6ea225176098d52b", "a b.html")]
    [InlineData("/uploads/66dbcd21/dk.png", null, null)]
    [InlineData("https://elsewhere.example/uploads/66dbcd21ec5d24ed6ea225176098d52b/dk.png", null, null)]
    [InlineData("/uploads/66dbcd21ec5d24ed6ea225176098d52b/../../x", null, null)]
    public void UploadOf_OnlyGitLabsUploadPaths(string url, string? secret, string? name) =>
        Assert.Equal(secret is null ? null : (secret, name!), GitLabNoteBody.UploadOf(url));

    [Theory]
    [InlineData("inc-42-transcript-0a1b2c3d.html", "inc-42-transcript-0a1b2c3d.html")]
    [InlineData("inc 42 (copy).html", "inc_42__copy_.html")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("störung+log.txt", "störung+log.txt")]
    [InlineData("...", "_...")]
    [InlineData("", "unnamed")]
    public void StoredFileName_IsCarrierWavesSanitising(string name, string stored) =>
        Assert.Equal(stored, GitLabNoteBody.StoredFileName(name));
}
