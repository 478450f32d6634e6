using Incidents.Chat;
using Incidents.Transcripts;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Transcripts;

public sealed class HtmlTranscriptTests
{
    private static readonly Dictionary<string, TranscriptFile> Files = new(StringComparer.Ordinal) { ["f1"] = Image, ["f2"] = Log };

    private static async Task<string> Render(IReadOnlyList<TranscriptEntry> entries, Func<string, CancellationToken, Task<byte[]?>>? images = null)
    {
        using var output = new StringWriter();
        await HtmlTranscript.WriteAsync(output, Header(entries), Async(entries), Files, images ?? ((id, _) => Task.FromResult<byte[]?>(id == "f1" ? Png : null)), CancellationToken.None);
        return output.ToString();
    }

    [Fact]
    public async Task WriteAsync_ScriptInUserText_IsEscapedEverywhere()
    {
        var evil = Msg("x", 9, "<script>u</script>", "<script>alert(1)</script>") with
        {
            DisplayName = "<script>n</script>",
            Attachments = [new ChatAttachment("<script>t</script>", "javascript:alert(1)", "<script>q</script>", "<script>a</script>", null, null)],
            Reactions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["<script>"] = ["<script>"] },
        };
        var html = await Render([.. Entries(), new TranscriptEntry(evil, [], false)]);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("<title>Transcript of #inc-octo-repo-42-abcd1234 – octo/repo#42 DB &lt;outage&gt;</title>", html);
    }

    [Fact]
    public async Task WriteAsync_Document_IsStandaloneWithoutExternalResources()
    {
        var html = await Render(Entries());

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>\n", html);
        Assert.Contains("<style>", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.Contains("<a href=\"https://github.com/octo/repo/issues/42\">octo/repo#42 DB &lt;outage&gt;</a>", html);
        Assert.Contains("8 messages, 1 threads, 2 files", html);
        Assert.Contains("@alice, @bob, @carol, @erin", html);
    }

    [Fact]
    public async Task WriteAsync_ThreadReplies_AreNestedUnderTheirRoot()
    {
        var html = await Render(Entries());

        var root = html.IndexOf("id=\"m-a\"", StringComparison.Ordinal);
        var thread = html.IndexOf("<div class=\"thread\">", StringComparison.Ordinal);
        var reply = html.IndexOf("id=\"m-b\"", StringComparison.Ordinal);
        var threadEnd = html.IndexOf("</div>\n</article>", reply, StringComparison.Ordinal);
        var next = html.IndexOf("id=\"m-d\"", StringComparison.Ordinal);
        Assert.True(root < thread && thread < reply && reply < threadEnd && threadEnd < next);
        Assert.Contains("(edited by @carol at <time datetime=\"2026-03-01T10:16:02.345Z\">10:16:02</time>)", html);
        Assert.Contains("(reply in a removed thread)", html);
    }

    [Fact]
    public async Task WriteAsync_DayChanges_WritesADateHeading()
    {
        var html = await Render(Entries());

        Assert.Contains("<h2 class=\"day\"><time datetime=\"2026-03-01\">2026-03-01</time></h2>", html);
        var secondDay = html.IndexOf("<h2 class=\"day\"><time datetime=\"2026-03-02\">2026-03-02</time></h2>", StringComparison.Ordinal);
        Assert.True(secondDay > html.IndexOf("id=\"m-g\"", StringComparison.Ordinal));
        Assert.True(secondDay < html.IndexOf("id=\"m-h\"", StringComparison.Ordinal));
        Assert.Equal(2, html.Split("<h2 class=\"day\">").Length - 1);
    }

    [Fact]
    public async Task WriteAsync_ImageFile_IsInlinedAsDataUri()
    {
        var html = await Render(Entries());

        Assert.Contains($"<img alt=\"graph.png\" src=\"data:image/png;base64,{Convert.ToBase64String(Png)}\">", html);
        Assert.Contains("<a href=\"files/f1/graph.png\">graph.png</a>", html);
    }

    [Fact]
    public async Task WriteAsync_ImageWithoutBytes_FallsBackToTheLink()
    {
        var html = await Render(Entries(), (_, _) => Task.FromResult<byte[]?>(null));

        Assert.DoesNotContain("<img", html);
        Assert.Contains("<a href=\"files/f1/graph.png\">graph.png</a>", html);
    }

    [Fact]
    public async Task WriteAsync_NonImageFile_IsLinkedAndNeverFetched()
    {
        var asked = new List<string>();
        var html = await Render(Entries(), (id, _) => { asked.Add(id); return Task.FromResult<byte[]?>(Png); });

        Assert.Contains("<a href=\"files/f2/db.log\">db.log</a>", html);
        Assert.Equal(["f1"], asked);
    }

    [Fact]
    public async Task WriteAsync_FileNotKept_IsNamedWithoutALink()
    {
        var notKept = new Dictionary<string, TranscriptFile>(StringComparer.Ordinal) { ["f1"] = Image, ["f2"] = Log with { Sha256 = "", Link = "" } };
        using var output = new StringWriter();
        var entries = Entries();
        await HtmlTranscript.WriteAsync(output, Header(entries), Async(entries), notKept, (_, _) => Task.FromResult<byte[]?>(null), CancellationToken.None);
        var html = output.ToString();

        Assert.Contains("<li>📎 db.log <span class=\"edited\">(120 bytes, file not kept)</span></li>", html);
        Assert.DoesNotContain("href=\"\"", html);
    }

    [Fact]
    public async Task WriteAsync_RemovedSystemPinnedAndReactions_AreShown()
    {
        var html = await Render(Entries());

        Assert.Contains("message removed by @alice at <time datetime=\"2026-03-01T10:17:02.345Z\">10:17:02</time>", html);
        Assert.Contains("<div class=\"sys\" id=\"m-e\"><time datetime=\"2026-03-01T10:15:07.345Z\">10:15:07</time> @dave joined</div>", html);
        Assert.Contains("📌 pinned", html);
        Assert.Contains("<span title=\"@bob, @carol\">:+1: 2</span>", html);
        Assert.Contains("<strong>erin</strong> <a href=\"https://chat.example.com/m/1\">Quoted</a><div>earlier <em>words</em></div>", html);
        Assert.Contains("<a href=\"https://status.example.com/x?a=1&amp;b=2\">Status</a><div>All systems &lt;b&gt;down&lt;/b&gt;</div>", html);
    }

    [Fact]
    public async Task WriteAsync_CodeBlock_IsPreCodeWithEscapedContent()
    {
        var html = await Render(Entries());

        Assert.Contains("<div class=\"text\">postmortem:<pre><code class=\"language-sql\">SELECT 1 &lt; 2;</code></pre>done <code>x</code> <em>y</em></div>", html);
    }

    [Theory]
    [InlineData("a\nb", "a<br>\nb")]
    [InlineData("**bold** and _it_ and snake_case_name", "<strong>bold</strong> and <em>it</em> and snake_case_name")]
    [InlineData("see https://x.example/a?b=1&c=2.", "see <a href=\"https://x.example/a?b=1&amp;c=2\">https://x.example/a?b=1&amp;c=2</a>.")]
    [InlineData("`<b>` **`x`**", "<code>&lt;b&gt;</code> <strong><code>x</code></strong>")]
    [InlineData("```\nopen <i>", "<pre><code>open &lt;i&gt;</code></pre>")]
    [InlineData("javascript:alert(1) \"q\"", "javascript:alert(1) &quot;q&quot;")]
    public void Format_ChatText_EscapesThenAppliesThePatterns(string text, string html) =>
        Assert.Equal(html, HtmlTranscript.Format(text));

    [Fact]
    public async Task WriteAsync_EmptyChannel_SaysSo()
    {
        var html = await Render([]);

        Assert.Contains("The channel had no messages.", html);
        Assert.Contains("<dd>no messages</dd>", html);
    }
}
