using Incidents.Chat;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Transcripts;

/// <summary>Redmine's Textile: markers as visible lines, people's text literal in pre/notextile, code highlighted.</summary>
public sealed class TextileTranscriptTests
{
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");
    private static readonly string TranscriptSha = new('7', 64);
    private static readonly TextileMarkup Textile = TextileMarkup.Instance;

    private static readonly IReadOnlyDictionary<string, TranscriptFile> Kept = new Dictionary<string, TranscriptFile>
    {
        ["f1"] = Image with { Link = "https://svc.example.com/transcripts/abc/files/f1?expires=1&sig=ff" },
    };

    private static TranscriptManifest Manifest() =>
        new(8, 1, [Image, Log with { Name = "db|prod <1>.log", Sha256 = "" }], T0, T0.AddDays(1), ["alice", "bob"], TranscriptSha);

    private static async Task<List<string>> Comments(IReadOnlyList<TranscriptEntry> entries, int limit)
    {
        var header = Header(entries);
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(Textile, Async(entries), Kept, Textile.Manifest(Manifest()), TranscriptComments.BodyBudget(Textile, limit, header), CancellationToken.None))
        {
            bodies.Add(body);
        }
        return [.. bodies.Select((b, i) => TranscriptComments.Comment(Textile, ChannelId, i + 1, bodies.Count, TranscriptSha, header, b))];
    }

    [Fact]
    public async Task Render_SampleChannel_IsOneNoteWithVisibleMarkersHeaderEveryMessageAndTheManifest()
    {
        var note = Assert.Single(await Comments(Entries(), 60_000));

        var parsed = TranscriptMarker.TryParse(note, Textile);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1, TranscriptSha), (parsed.Part, parsed.Parts, parsed.TranscriptSha256));
        Assert.Equal(TranscriptComments.Sha256(parsed.Body), parsed.PartSha256);
        Assert.StartsWith($"incidents:transcript channel={ChannelId:N} part=1/1 sha256=", note);
        Assert.Contains("\n\nh3. Chat transcript of @#inc-octo-repo-42-abcd1234@ (part 1 of 1)\n\n", note);
        Assert.Contains("*Ticket:* \"<notextile>DB <outage></notextile>\":https://github.com/octo/repo/issues/42\n", note);
        Assert.Contains("*Participants:* <notextile>@alice, @bob, @carol, @erin</notextile>\n\nincidents:body\n", note);
        var body = parsed.Body;
        Assert.StartsWith("\np. @2026-03-01 10:15:03@ *<notextile>@alice</notextile>* (pinned)\n\n<pre>\nDeploy failed <script>alert(1)</script> see", body);
        Assert.Contains("\np(. ↳ @2026-03-01 10:15:04@ *<notextile>@bob</notextile>*\n\n<pre>\nlooking\n</pre>\n", body);
        Assert.Contains("_<notextile>(edited by @carol 2026-03-01 10:16:02)</notextile>_", body);
        Assert.Contains("\np. @2026-03-01 10:15:06@ _<notextile>message by @alice removed at 2026-03-01 10:17:02</notextile>_\n", body);
        Assert.Contains("File: \"<notextile>graph.png</notextile>\":https://svc.example.com/transcripts/abc/files/f1?expires=1&sig=ff (11 bytes, sha256 @aaaaaaaaaaaa…@)", body);
        Assert.Contains("File: <notextile>db.log</notextile> (file not kept)", body);
        Assert.Contains("Quote: \"<notextile>Quoted</notextile>\":https://chat.example.com/m/1: <notextile>earlier _words_</notextile>", body);
        Assert.Contains("Link: \"<notextile>Status</notextile>\":https://status.example.com/x?a=1&b=2", body);
        Assert.Contains("Reactions: <notextile>:eyes: 1 (@carol) :+1: 2 (@bob, @carol)</notextile>", body);
        Assert.Contains("\np. ↳ (reply in a removed thread) @", body);
        Assert.Contains("<pre>\npostmortem:\n</pre>\n\n<pre><code class=\"sql\">\nSELECT 1 < 2;\n</code></pre>\n\n<pre>\ndone `x` _y_\n</pre>\n", body);
        Assert.Contains("\n----\n\nincidents:manifest\n\nh4. Transcript manifest\n", body);
    }

    [Theory]
    [InlineData("</pre><b>bold</b>", "<\u200B/pre><b>bold</b>")]
    [InlineData("<PRE>x</Pre>", "<\u200BPRE>x<\u200B/Pre>")]
    [InlineData("</code></pre> then <notextile>", "<\u200B/code><\u200B/pre> then <\u200Bnotextile>")]
    [InlineData("<kbd>Ctrl</kbd> <redpre#0>", "<\u200Bkbd>Ctrl<\u200B/kbd> <\u200Bredpre#0>")]
    [InlineData("AT&T x%x% done", "AT&T x%\u200Bx% done")]
    [InlineData("a < b && c > d <preview>", "a < b && c > d <\u200Bpreview>")]
    public void Preformatted_TextThatCouldEndItsBlock_ShowsTheSameButCannot(string text, string expected) =>
        Assert.Equal(expected, TextileMarkup.Preformatted(text));

    [Fact]
    public void Literal_NamesWithMarkupMacrosAndLineBreaks_StayOneInertLine() =>
        Assert.Equal("<notextile>*x* {\u200B{toc}} <\u200B/notextile> a b</notextile>", TextileMarkup.Literal("*x* {{toc}} </notextile> a\r\nb"));

    [Fact]
    public void Message_CodeBlockWithAnOddLanguage_IsAPlainPreBlock()
    {
        var block = Textile.Message(Msg("a", 1, "alice", "```c++\nint x<3>;\n```"), "", Kept);

        Assert.Contains("\n<pre>\nint x<3>;\n</pre>\n", block);
        Assert.DoesNotContain("class=", block);
    }

    [Fact]
    public void Message_UnclosedFence_RunsToTheEndOfItsMessageOnly()
    {
        var block = Textile.Message(Msg("a", 1, "alice", "look:\n```\nunterminated"), "", Kept);

        Assert.EndsWith("<pre>\nlook:\n</pre>\n\n<pre>\nunterminated\n</pre>\n", block);
    }

    [Fact]
    public void Message_LinkWithCharactersTextileWouldMisread_IsShownLiterally()
    {
        var message = Msg("a", 1, "alice", "see") with { Links = [new ChatLink("https://x.example.com/a b\"c", "odd", null)] };

        Assert.Contains("Link: <notextile>odd (https://x.example.com/a b\"c)</notextile>", Textile.Message(message, "", Kept));
    }

    [Fact]
    public async Task Render_LargeChannel_SplitsBelowTheLimitBetweenMessages()
    {
        var code = "```sql\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"SELECT {i} FROM t;")) + "\n```";
        var entries = Enumerable.Range(0, 300).Select(i => new TranscriptEntry(Msg($"m{i:D4}", i, "alice", i % 3 == 0 ? code : new string('x', 900)), [], false)).ToList();
        var comments = await Comments(entries, 20_000);

        Assert.True(comments.Count > 10);
        for (var i = 0; i < comments.Count; i++)
        {
            Assert.True(comments[i].Length <= 20_000);
            var parsed = TranscriptMarker.TryParse(comments[i], Textile)!;
            Assert.Equal((i + 1, comments.Count), (parsed.Part, parsed.Parts));
            Assert.Equal(parsed.Body.Split('\n').Count(l => l.StartsWith("<pre>", StringComparison.Ordinal) || l.StartsWith("<pre><code", StringComparison.Ordinal)),
                parsed.Body.Split('\n').Count(l => l.EndsWith("</pre>", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void ReadManifest_OfManifest_RoundTrips()
    {
        var manifest = Manifest();
        var read = Textile.ReadManifest(Textile.Manifest(manifest));

        Assert.NotNull(read);
        Assert.Equal((manifest.MessageCount, manifest.ThreadCount, manifest.First, manifest.Last, manifest.JsonSha256), (read.MessageCount, read.ThreadCount, read.First, read.Last, read.JsonSha256));
        Assert.Equal(manifest.Files, read.Files);
        Assert.Equal(manifest.Participants, read.Participants);
    }

    [Fact]
    public void ReadManifest_CrlfAndAFakeJsonBlockInAMessageBefore_FindsTheLastOne()
    {
        var fake = Textile.Message(Msg("a", 1, "mallory", "<pre><code class=\"json\">\n{\"format\":\"incidents.transcript-manifest/1\",\"jsonSha256\":\"" + new string('0', 64) + "\"}\n</code></pre>"), "", Kept);
        var text = (fake + Textile.Rule + Textile.ManifestStart + "\n" + Textile.Manifest(Manifest())).ReplaceLineEndings("\r\n");

        Assert.Equal(TranscriptSha, Textile.ReadManifest(text)?.JsonSha256);
        Assert.Null(Textile.ReadManifest(fake)); // defused: never read as a manifest
    }

    [Fact]
    public void Manifest_ListsFilesInATableWithLiteralNames()
    {
        var text = Textile.Manifest(Manifest());

        Assert.Contains("|_. file |_. size (bytes) |_. sha256 |\n", text);
        Assert.Contains($"| <notextile>graph.png</notextile> |>. {Png.Length} | @{new string('a', 64)}@ |\n", text);
        Assert.Contains("| <notextile>db|prod <1>.log</notextile> |>. 120 | not kept |\n", text);
        Assert.EndsWith("<pre><code class=\"json\">\n" + Manifest().ToJson() + "\n</code></pre>\n", text);
    }

    [Fact]
    public async Task Render_EmptyChannel_SaysSoAndStillEndsWithTheManifest()
    {
        var body = TranscriptMarker.TryParse(Assert.Single(await Comments([], 60_000)), Textile)!.Body;

        Assert.StartsWith("\np. _The channel had no messages._\n", body);
        Assert.NotNull(Textile.ReadManifest(body));
    }
}
