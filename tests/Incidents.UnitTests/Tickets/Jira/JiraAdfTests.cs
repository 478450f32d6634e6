using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Tickets.Jira;
using Incidents.Transcripts.Markup;

namespace Incidents.UnitTests.Tickets.Jira;

/// <summary>The text ↔ ADF conversion: exact in both directions for the text, and only ADF that Jira's schema allows.</summary>
public sealed class JiraAdfTests
{
    private const char B = JiraAdfMarkup.StrongStart;
    private const char E = JiraAdfMarkup.StrongEnd;

    private static readonly string[] Tokens =
        ["a", "word", " ", "  ", "\n", "\n\n", "```", "```json", "```c++", "``` x", "````", "`", "{code}", "\t", "\r", "é", "👍", B.ToString(), E.ToString(), "h3. "];

    /// <summary>Through JSON text and back, as the document travels to Jira and is read again.</summary>
    private static string RoundTrip(string text)
    {
        using var doc = JsonDocument.Parse(JiraAdf.FromText(text).ToJsonString());
        return JiraAdf.ToText(doc.RootElement);
    }

    [Property(MaxTest = 3000)]
    public Property RoundTrip_AnyText_IsExact() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Elements(Tokens)).Select(parts => string.Concat(parts))), text => RoundTrip(text) == text);

    [Property(MaxTest = 1000)]
    public bool RoundTrip_ArbitraryString_IsExact(string? text) => RoundTrip(text ?? "") == (text ?? "");

    [Property(MaxTest = 2000)]
    public Property FromText_AnyText_HasNoEmptyTextNodesAndNoSameMarkNeighbours() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Elements(Tokens)).Select(parts => string.Concat(parts))), text =>
        {
            var doc = JiraAdf.FromText(text);
            foreach (var block in doc["content"]!.AsArray())
            {
                JsonNode? previous = null;
                foreach (var node in block!["content"]?.AsArray() ?? [])
                {
                    if ((string?)node!["type"] == "text")
                    {
                        if (((string?)node["text"])?.Length is null or 0)
                        {
                            return false;
                        }
                        if (previous is not null && (string?)previous["type"] == "text" && (previous["marks"] is null) == (node["marks"] is null))
                        {
                            return false;
                        }
                    }
                    previous = node;
                }
            }
            return true;
        });

    [Fact]
    public void FromText_FencedCode_BecomesACodeBlockWithItsLanguage()
    {
        var doc = JiraAdf.FromText("before\n```sql\nSELECT 1;\nSELECT 2;\n```\nafter");
        var blocks = doc["content"]!.AsArray();
        Assert.Equal(["paragraph", "codeBlock", "paragraph"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("sql", (string?)blocks[1]!["attrs"]!["language"]);
        Assert.Equal("SELECT 1;\nSELECT 2;", (string?)blocks[1]!["content"]![0]!["text"]);
    }

    [Fact]
    public void FromText_LinesAndBlankLines_AreParagraphsWithHardBreaks()
    {
        var blocks = JiraAdf.FromText("one\ntwo\n\nthree").ToJsonString();
        Assert.Equal(
            """{"version":1,"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"one"},{"type":"hardBreak"},{"type":"text","text":"two"}]},{"type":"paragraph","content":[{"type":"text","text":"three"}]}]}""",
            blocks);
    }

    [Fact]
    public void FromText_MarkedSpans_AreBold()
    {
        var inline = JiraAdf.FromText($"{B}@alice{E} said {B}hi{E}")["content"]![0]!["content"]!.AsArray();
        Assert.Equal(["@alice", " said ", "hi"], inline.Select(n => (string?)n!["text"]));
        Assert.Equal([true, false, true], inline.Select(n => n!["marks"] is not null));
    }

    [Theory]
    [InlineData("```\n```")] // no content: not a code block
    [InlineData("```\n\n```")] // one empty line: ADF could not tell it from no content
    [InlineData("```js\nunclosed")]
    [InlineData("```` \nx\n```")]
    public void FromText_FencesThatCannotBeCode_StayText(string text)
    {
        var doc = JiraAdf.FromText(text);
        Assert.DoesNotContain(doc["content"]!.AsArray(), b => (string?)b!["type"] == "codeBlock");
        Assert.Equal(text, RoundTrip(text));
    }

    [Fact]
    public void ToText_DocumentWrittenByAPerson_IsReadableText()
    {
        using var doc = JsonDocument.Parse("""
            {"type":"doc","version":1,"content":[
              {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Status"}]},
              {"type":"paragraph","content":[{"type":"text","text":"ping "},{"type":"mention","attrs":{"id":"1","text":"@Bob"}},{"type":"text","text":" now","marks":[{"type":"em"}]}]},
              {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"first"}]}]},{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"second"}]}]}]}]}
            """);
        Assert.Equal("Status\n\nping @Bob now\nfirst\nsecond", JiraAdf.PlainText(doc.RootElement));
    }
}
