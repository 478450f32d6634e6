using Incidents.Chat;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Incidents.UnitTests.Transcripts;

namespace Incidents.UnitTests.Tickets.Jira;

public sealed class JiraWikiMarkupTests
{
    private static readonly JiraWikiMarkup Wiki = JiraWikiMarkup.Instance;
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");
    private static readonly IReadOnlyDictionary<string, TranscriptFile> NoFiles = new Dictionary<string, TranscriptFile>();

    private static string Render(string text) => Wiki.Message(TranscriptSamples.Msg("a", 1, "alice", text), "", NoFiles);

    [Theory]
    [InlineData("*bold* _it_ -del- +ins+ ^sup^ ~sub~ ??cite??", @"\*bold\* \_it\_ \-del\- \+ins\+ \^sup\^ \~sub\~ \?\?cite\?\?")]
    [InlineData("{code} {{mono}} [link|http://x] !img.png! |cell| (y) @here 100%", @"\{code\} \{\{mono\}\} \[link\|http://x\] \!img.png\! \|cell\| \(y) @here 100%")]
    [InlineData("2026-03-01 snake_case a*b C++ what? :) (on) mail@x.org", @"2026-03-01 snake_case a*b C\+\+ what? :\) \(on) mail@x.org")]
    [InlineData("see https://x.example/a_b-c?d=(1) now", "see https://x.example/a_b-c?d=(1) now")]
    [InlineData(@"C:\temp\x and \\ twice", "C:&#92;temp&#92;x and &#92;&#92; twice")]
    [InlineData("# not a list", @"\# not a list")]
    [InlineData("h3. not a heading", "h3&#46; not a heading")]
    [InlineData("bq. not a quote", "bq&#46; not a quote")]
    [InlineData("---- not a rule", @"\-\-\-\- not a rule")]
    public void Message_WikiCharactersInChatText_AreEscaped(string text, string expected) =>
        Assert.Equal($"{{{{2026-03-01 10:15:03}}}} *@alice*\n{expected}\n\n", Render(text));

    [Theory]
    [InlineData("```python\nprint('*x*')\n```", "{code:python}\nprint('*x*')\n{code}")]
    [InlineData("```\nplain {noformat} text\n```", "{code}\nplain {noformat} text\n{code}")]
    [InlineData("```brainfuck\n+[>]\n```", "{noformat}\n+[>]\n{noformat}")]
    [InlineData("```\nno language\n```", "{noformat}\nno language\n{noformat}")]
    [InlineData("```js\nx = '{code}'\n```", "{noformat}\nx = '{code}'\n{noformat}")]
    [InlineData("```\n{code} and {noformat}\n```", @"\{code\} and \{noformat\}")]
    public void Message_CodeFromTheChat_IsACodeBlockItsContentCannotClose(string text, string expected) =>
        Assert.Contains(expected, Render(text));

    [Fact]
    public void Message_FullSample_RendersEveryPart()
    {
        var kept = new Dictionary<string, TranscriptFile> { ["f1"] = TranscriptSamples.Image with { Link = "https://svc.example/files/f1?sig=1" } };
        var blocks = string.Concat(TranscriptSamples.Entries().SelectMany(e =>
            new[] { Wiki.Message(e.Message, e.OrphanReply ? "↳ (reply in a removed thread) " : "", kept) }.Concat(e.Replies.Select(r => Wiki.Reply(Wiki.Message(r, "↳ ", kept))))));
        Assert.Contains("{{2026-03-01 10:15:03}} *@alice* 📌 pinned\nDeploy failed <script>alert(1)</script> see https://status.example.com/x?a=1&b=2\n", blocks);
        Assert.Contains("↳ {{2026-03-01 10:15:05}} *@carol* _(edited by @carol 2026-03-01 10:16:02)_\nfixed \\*\\*now\\*\\*\n", blocks);
        Assert.Contains("📎 [graph.png|https://svc.example/files/f1?sig=1] (11 bytes, sha256 {{aaaaaaaaaaaa}}…)", blocks);
        Assert.Contains("📎 db.log (file not kept)", blocks);
        Assert.Contains("bq. [Quoted|https://chat.example.com/m/1]: earlier \\_words\\_", blocks);
        Assert.Contains("bq. 🔗 [Status|https://status.example.com/x?a=1&b=2]", blocks);
        Assert.Contains("{code:sql}\nSELECT 1 < 2;\n{code}\ndone `x` \\_y\\_", blocks);
        Assert.Contains("_@dave joined_", blocks);
    }

    [Fact]
    public void Comment_MarkerLine_IsVisibleGreyTextThatParsesBack()
    {
        var header = TranscriptSamples.Header(TranscriptSamples.Entries());
        var comment = TranscriptComments.Comment(Wiki, ChannelId, 2, 3, new string('7', 64), header, "body text\n");
        Assert.StartsWith("{color:#97a0af}incidents:transcript channel=0195a0b0000070008000000000000001 part=2/3 sha256=", comment);
        Assert.Contains("\nh3. Chat transcript of #inc-octo-repo-42-abcd1234 (part 2 of 3)\n*Ticket:* [DB <outage>|https://github.com/octo/repo/issues/42]\n", comment);
        Assert.Contains("*Participants:* @alice, @bob, @carol, @erin\n", comment);
        var parsed = TranscriptMarker.TryParse(comment, Wiki);
        Assert.NotNull(parsed);
        Assert.Equal("body text\n", parsed.Body);
        Assert.Equal(parsed.PartSha256, parsed.BodySha256());
        Assert.Null(TranscriptMarker.TryParse(comment, MarkdownMarkup.Instance)); // the marker line is markup-specific
    }

    [Fact]
    public void Comment_ReadBackWithCrLf_StillParsesToTheSameBody()
    {
        var header = TranscriptSamples.Header(TranscriptSamples.Entries());
        var comment = TranscriptComments.Comment(Wiki, ChannelId, 1, 1, new string('7', 64), header, "line 1\nline 2\n");
        var parsed = TranscriptMarker.TryParse(comment.ReplaceLineEndings("\r\n"), Wiki)!;
        Assert.Equal(parsed.PartSha256, parsed.BodySha256());
    }

    [Fact]
    public void Manifest_WithFilesNamedLikeWikiTags_ReadsBackExactly()
    {
        var files = new List<TranscriptFile>
        {
            TranscriptSamples.Image,
            new("f2", "{code}|[x]\\{noformat}.txt", "text/plain", 5, new string('c', 64), "https://svc/f2"),
            new("f3", "lost.bin", null, 9, "", ""),
        };
        var manifest = new TranscriptManifest(3, 1, files, TranscriptSamples.T0, TranscriptSamples.T0.AddHours(1), ["alice", "bob"], new string('d', 64));
        var text = Wiki.Rule + Wiki.ManifestStart + "\n" + Wiki.Manifest(manifest);

        Assert.Contains("||file||size (bytes)||sha256||\n|graph.png|11|{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}|\n", text);
        Assert.Contains("|\\{code\\}\\|\\[x\\]&#92;\\{noformat\\}.txt|5|", text);
        Assert.Contains("|lost.bin|9|not kept|", text);
        var read = Wiki.ReadManifest(TranscriptComments.ManifestText(Wiki, [text])!);
        Assert.NotNull(read);
        Assert.Equal(manifest.ToJson(), read.ToJson());
        Assert.DoesNotContain("{code}|[x]", text.Split("{code:json}")[1].Split("\n{code}")[0]); // no closing tag inside the block
    }
}
