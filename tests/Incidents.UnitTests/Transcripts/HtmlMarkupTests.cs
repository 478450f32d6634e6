using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Chat;
using Incidents.Simulators.Zammad;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;

namespace Incidents.UnitTests.Transcripts;

/// <summary>
/// The HTML markup used for Zammad articles: it renders properly (code blocks, escaping, links), it reads its
/// manifest back, and — checked against the model of Zammad's sanitizer — every comment comes back byte for byte.
/// </summary>
public sealed class HtmlMarkupTests
{
    private const string WebApp = "https://zammad.example.com/#";
    private static readonly HtmlMarkup Markup = new(WebApp);
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000001");
    private static readonly IReadOnlyDictionary<string, TranscriptFile> Files = new Dictionary<string, TranscriptFile>
    {
        ["f1"] = TranscriptSamples.Image with { Link = "https://incidents.example.com/transcripts/0195/files/f1?expires=1&sig=ab" },
        ["f2"] = TranscriptSamples.Log with { Sha256 = "" },
    };

    private static string Stored(string html) => ZammadSanitizer.Sanitize(html, WebApp);

    private static async Task<List<string>> Comments(int limit = 100_000)
    {
        var entries = TranscriptSamples.Entries();
        var header = TranscriptSamples.Header(entries) with { TicketUrl = "https://zammad.example.com/#ticket/zoom/81" };
        var manifest = new TranscriptManifest(8, 1, [.. Files.Values], TranscriptSamples.T0, TranscriptSamples.T0.AddDays(1), ["alice", "bob"], new string('9', 64));
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(Markup, TranscriptSamples.Async(entries), Files, Markup.Manifest(manifest),
                           TranscriptComments.BodyBudget(Markup, limit, header), CancellationToken.None))
        {
            bodies.Add(body);
        }
        return [.. bodies.Select((b, i) => TranscriptComments.Comment(Markup, ChannelId, i + 1, bodies.Count, new string('7', 64), header, b))];
    }

    [Fact]
    public async Task Comment_SampleChannel_IsStoredByZammadExactlyAsSent()
    {
        var comment = Assert.Single(await Comments());
        Assert.Equal(comment, Stored(comment));
        var parsed = TranscriptMarker.TryParse(comment, Markup);
        Assert.NotNull(parsed);
        Assert.Equal(parsed.PartSha256, parsed.BodySha256());
    }

    [Fact]
    public async Task Comment_SplitIntoParts_EveryPartIsStoredExactlyAndReadsBack()
    {
        var comments = await Comments(limit: 3000);
        Assert.True(comments.Count > 1);
        Assert.All(comments, c => Assert.Equal(c, Stored(c)));
        Assert.All(comments, c => Assert.NotNull(TranscriptMarker.TryParse(c, Markup)));
    }

    [Fact]
    public void Message_FencedCode_IsPreCodeWithEscapedTextAndNoLinks()
    {
        var m = TranscriptSamples.Msg("x", 1, "alice", "before\n```sh\ncurl 'https://x.example/a?b=1&c=<2>'\n\n  tail\n```\nafter");
        var html = Markup.Message(m, "", Files);
        Assert.Contains("<pre><code>curl 'https://x.example/a?b=1&amp;c=&lt;2&gt;'\n\n  tail</code></pre>\n", html);
        Assert.Contains("<p>before</p>\n", html);
        Assert.Contains("<p>after</p>\n", html);
        Assert.Equal(html, Stored(html));
    }

    [Fact]
    public void Message_UnclosedFence_RunsToTheEndAsCode()
    {
        var html = Markup.Message(TranscriptSamples.Msg("x", 1, "bob", "```\nopen <fence>"), "", Files);
        Assert.EndsWith("<pre><code>open &lt;fence&gt;</code></pre>\n", html);
    }

    [Theory]
    [InlineData("a <b> & \"c\" 'd'", "a &lt;b&gt; &amp; \"c\" 'd'")]
    [InlineData("nbsp\u00A0here", "nbsp here")]
    [InlineData("bell\u0007 nul\u0000", "bell\uFFFD nul\uFFFD")]
    [InlineData("line1\r\nline2", "line1<br>line2")]
    [InlineData("see https://status.example.com/x?a=1&b=2.", "see <a href=\"https://status.example.com/x?a=1&amp;b=2\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">https://status.example.com/x?a=1&amp;b=2</a>.")]
    [InlineData("HTTPS://Example.com/A", "<a href=\"https://Example.com/A\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">HTTPS://Example.com/A</a>")]
    [InlineData("ticket https://zammad.example.com/#ticket/zoom/9", "ticket <a href=\"https://zammad.example.com/#ticket/zoom/9\" rel=\"nofollow noreferrer noopener\">https://zammad.example.com/#ticket/zoom/9</a>")]
    [InlineData("mail me: tel:+4930123 or news:today", "mail me: tel<span></span>:+4930123 or news<span></span>:today")]
    [InlineData("port https://x.example:443/a", "port https<span></span>://x.example:443/a")]
    [InlineData("js https://x.example/?q=javascript:alert(1)", "js https<span></span>://x.example/?q=javascript:alert(1)")]
    [InlineData("Hotel: fine", "Hotel: fine")]
    public void Message_ProseText_IsEscapedAndUrlsAreWrittenAsZammadKeepsThem(string text, string expected)
    {
        var html = Markup.Message(TranscriptSamples.Msg("x", 1, "alice", text), "", Files);
        Assert.Contains($"<p>{expected}</p>\n", html);
        Assert.Equal(html, Stored(html));
    }

    [Fact]
    public void Message_FilesAndLinks_AreLinksWithTheAttributesZammadSets()
    {
        var m = TranscriptSamples.Msg("x", 1, "bob", "files") with
        {
            Files = [new ChatFile("f1", "graph.png", "image/png", 11, "/file-upload/f1/graph.png"), new ChatFile("f2", "db.log", "text/plain", 120, "/x")],
            Links = [new ChatLink("https://status.example.com/x?a=1&b=2", "Status <page>", null)],
        };
        var html = Markup.Message(m, "", Files);
        Assert.Contains("<p>📎 <a href=\"https://incidents.example.com/transcripts/0195/files/f1?expires=1&amp;sig=ab\" rel=\"nofollow noreferrer noopener\" "
            + "title=\"https://incidents.example.com/transcripts/0195/files/f1?expires=1&amp;sig=ab\" target=\"_blank\">graph.png</a> (11 bytes, sha256 <code>aaaaaaaaaaaa…</code>)</p>", html);
        Assert.Contains("<p>📎 db.log (file not kept)</p>", html);
        Assert.Contains(">Status &lt;page&gt;</a></p>\n</blockquote>\n", html);
        Assert.Equal(html, Stored(html));
    }

    [Fact]
    public void ReadManifest_PublishedManifest_RoundTrips()
    {
        var manifest = new TranscriptManifest(3, 1, [.. Files.Values, TranscriptSamples.Log with { FileId = "f3", Name = "a <b> & c.txt" }],
            TranscriptSamples.T0, TranscriptSamples.T0.AddHours(1), ["alice", "b<o>b"], new string('c', 64));
        var text = Markup.Manifest(manifest);
        Assert.Equal(text, Stored(text));
        var read = Markup.ReadManifest(Markup.ManifestStart + "\n" + text);
        Assert.NotNull(read);
        Assert.Equal(manifest.ToJson(), read.ToJson());
    }

    [Fact]
    public void Manifest_ManyFiles_EachTableIsOneLine()
    {
        var files = Enumerable.Range(0, 60).Select(i => TranscriptSamples.Log with { FileId = $"f{i}", Name = $"file {i}.log" }).ToList();
        var text = Markup.Manifest(new TranscriptManifest(1, 0, files, null, null, [], new string('c', 64)));
        var tables = text.Split('\n').Where(l => l.StartsWith("<table>", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, tables.Count);
        Assert.All(tables, t => Assert.EndsWith("</table>", t, StringComparison.Ordinal));
        Assert.Equal(text, Stored(text));
    }

    [Fact]
    public void MarkerLines_AreVisibleParagraphsTheSanitizerKeeps()
    {
        Assert.Equal("<p>incidents:body</p>", Markup.BodyStart);
        Assert.Equal("<p>incidents:manifest</p>", Markup.ManifestStart);
        var line = Markup.MarkerLine(TranscriptMarker.Text(ChannelId, 1, 2, new string('1', 64), new string('2', 64)));
        Assert.Equal(line, Stored(line));
        Assert.Equal("", Stored("<!-- incidents:body -->")); // why the markers are not comments
    }

    [Property(MaxTest = 300)]
    public Property Message_AnyText_IsStoredByZammadExactlyAsSent() =>
        Prop.ForAll(Arb.From(Texts()), text =>
        {
            var html = Markup.Message(TranscriptSamples.Msg("x", 1, "alice", text), "↳ ", Files);
            var reply = Markup.Reply(html);
            return Stored(reply) == reply;
        });

    /// <summary>Texts built from the pieces that trouble HTML sanitizers: URLs of every kind, entities, markup, fences, odd characters.</summary>
    private static Gen<string> Texts()
    {
        var pieces = Gen.Elements(
            "https://example.com/a?b=1&c=2", "http://x.example:8080/p(1)", "HTTP://X.EXAMPLE", "https://h.example/$[x]", "ftp://f.example/x",
            "tel:+49", "news:x", "ws://w", "mailto:a@b.c", "javascript:alert(1)", "https://a.example/?d=data:1", "www.example.com", "file:///etc",
            "<b>", "</p>", "<!--", "-->", "&amp;", "&", "<", ">", "\"", "'", "\n", "\n\n", "```", "```js\n", " ", "\t", "\u00A0", "\u0000", "\u0085",
            "é", "😀", "\uD800", ":", ".", ",", ")", "(", "*/", "/*", "#", "%", "%zz", "%41", "https://zammad.example.com/#ticket/zoom/1",
            "https://zammad.example.com/x?y=1", "**bold**", "_em_", "`code`", "> quote", "- item", "word");
        return Gen.ListOf(pieces).Select(list => string.Concat(list));
    }
}
