using System.Text.Json;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Incidents.Tickets.Jira;
using Incidents.UnitTests.Transcripts;

namespace Incidents.UnitTests.Tickets.Jira;

public sealed class JiraAdfMarkupTests
{
    private static readonly JiraAdfMarkup Adf = JiraAdfMarkup.Instance;
    private static readonly Guid ChannelId = Guid.Parse("0195a0b0-0000-7000-8000-000000000002");
    private const char B = JiraAdfMarkup.StrongStart;
    private const char E = JiraAdfMarkup.StrongEnd;

    private static string Blocks(IReadOnlyDictionary<string, TranscriptFile> files) =>
        string.Concat(TranscriptSamples.Entries().SelectMany(e =>
            new[] { Adf.Message(e.Message, e.OrphanReply ? "↳ (reply in a removed thread) " : "", files) }.Concat(e.Replies.Select(r => Adf.Reply(Adf.Message(r, "↳ ", files))))));

    /// <summary>Posted as ADF and read back from JSON text, as Jira Cloud stores and returns it.</summary>
    private static string ThroughJira(string text)
    {
        using var doc = JsonDocument.Parse(JiraAdf.FromText(text).ToJsonString());
        return JiraAdf.ToText(doc.RootElement);
    }

    [Fact]
    public void Message_FullSample_IsPlainTextWithBoldNamesAndCodeFences()
    {
        var blocks = Blocks(new Dictionary<string, TranscriptFile> { ["f1"] = TranscriptSamples.Image });
        Assert.Contains($"2026-03-01 10:15:03 {B}@alice{E} 📌 pinned\nDeploy failed <script>alert(1)</script> see https://status.example.com/x?a=1&b=2\n", blocks);
        Assert.Contains($"↳ 2026-03-01 10:15:05 {B}@carol{E} (edited by @carol 2026-03-01 10:16:02)\nfixed **now**\n", blocks);
        Assert.Contains("📎 graph.png — files/f1/graph.png (11 bytes, sha256 aaaaaaaaaaaa…)", blocks);
        Assert.Contains("```sql\nSELECT 1 < 2;\n```\ndone `x` _y_\n", blocks);
        Assert.Contains("· @dave joined", blocks);
    }

    [Fact]
    public void Message_SampleAsAdf_HasItsCodeAsACodeBlock()
    {
        var doc = JiraAdf.FromText(Blocks(new Dictionary<string, TranscriptFile>()));
        var code = Assert.Single(doc["content"]!.AsArray(), b => (string?)b!["type"] == "codeBlock");
        Assert.Equal(("sql", "SELECT 1 < 2;"), ((string?)code!["attrs"]!["language"], (string?)code["content"]![0]!["text"]));
    }

    [Fact]
    public void Message_BoldMarkersInChatText_AreReplaced()
    {
        var text = Adf.Message(TranscriptSamples.Msg("a", 1, "alice", $"x{B}y{E}z"), "", new Dictionary<string, TranscriptFile>());
        Assert.Contains("x\uFFFDy\uFFFDz", text);
    }

    [Fact]
    public async Task Comments_WholeSampleThroughJira_ParseBackWithMatchingHashesAndManifest()
    {
        var entries = TranscriptSamples.Entries();
        var header = TranscriptSamples.Header(entries);
        var files = new Dictionary<string, TranscriptFile> { ["f1"] = TranscriptSamples.Image, ["f2"] = TranscriptSamples.Log };
        var manifest = new TranscriptManifest(8, 1, [TranscriptSamples.Image, TranscriptSamples.Log], header.First, header.Last, header.Participants, new string('e', 64));
        var bodies = new List<string>();
        await foreach (var body in TranscriptComments.BodiesAsync(Adf, TranscriptSamples.Async(entries), files, Adf.Manifest(manifest),
            TranscriptComments.BodyBudget(Adf, 2_000, header), CancellationToken.None))
        {
            bodies.Add(body);
        }
        Assert.True(bodies.Count > 1);
        var readBack = new List<string>();
        for (var i = 0; i < bodies.Count; i++)
        {
            var comment = TranscriptComments.Comment(Adf, ChannelId, i + 1, bodies.Count, manifest.JsonSha256, header, bodies[i]);
            var parsed = TranscriptMarker.TryParse(ThroughJira(comment), Adf);
            Assert.NotNull(parsed);
            Assert.Equal(parsed.PartSha256, parsed.BodySha256());
            readBack.Add(parsed.Body);
        }
        var read = Adf.ReadManifest(TranscriptComments.ManifestText(Adf, readBack)!);
        Assert.Equal(manifest.ToJson(), read!.ToJson());
    }
}
