using Incidents.Transcripts.Markup;
using Incidents.Transcripts;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Transcripts;

public sealed class TranscriptManifestTests
{
    private static TranscriptManifest Sample() =>
        new(8, 1, [Image, Log with { Name = "db|prod [1].log", ContentType = null }], T0, T0.AddDays(1), ["alice", "bob"], new string('c', 64));

    private static void AssertSame(TranscriptManifest expected, TranscriptManifest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.MessageCount, expected.ThreadCount, expected.First, expected.Last, expected.JsonSha256),
            (actual.MessageCount, actual.ThreadCount, actual.First, actual.Last, actual.JsonSha256));
        Assert.Equal(expected.Participants, actual.Participants);
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.FileBytes, actual.FileBytes);
    }

    [Fact]
    public void FromMarkdown_OfToMarkdown_RoundTrips()
    {
        var manifest = Sample();

        AssertSame(manifest, MarkdownMarkup.Instance.ReadManifest(MarkdownMarkup.Instance.Manifest(manifest)));
    }

    [Fact]
    public void FromMarkdown_CommentWithCrlfAndSurroundingText_StillFindsTheManifest()
    {
        var manifest = Sample();
        var comment = ("<!-- marker -->\nintro\n\n```json\n{\"other\":1}\n```\n" + MarkdownMarkup.Instance.Manifest(manifest) + "\nthanks\n").ReplaceLineEndings("\r\n");

        AssertSame(manifest, MarkdownMarkup.Instance.ReadManifest(comment));
    }

    [Fact]
    public void FromMarkdown_EmptyChannel_RoundTripsWithoutPeriod()
    {
        var manifest = new TranscriptManifest(0, 0, [], null, null, [], new string('d', 64));

        AssertSame(manifest, MarkdownMarkup.Instance.ReadManifest(MarkdownMarkup.Instance.Manifest(manifest)));
    }

    [Theory]
    [InlineData("no manifest here")]
    [InlineData("```json\n{\"format\":\"something-else\"}\n```")]
    [InlineData("```json\n{not json\n```")]
    [InlineData("```json\n{\"format\":\"incidents.transcript-manifest/1\"}\n```")]
    [InlineData("```json\n{\"format\":\"incidents.transcript-manifest/1\"")]
    public void FromMarkdown_NoValidManifest_ReturnsNull(string text) =>
        Assert.Null(MarkdownMarkup.Instance.ReadManifest(text));

    [Fact]
    public void ToMarkdown_Manifest_ListsCountsPeriodFilesAndHash()
    {
        var md = MarkdownMarkup.Instance.Manifest(Sample());

        Assert.Contains("**Messages:** 8 (1 threads)", md);
        Assert.Contains("**Period:** 2026-03-01 10:15:02 – 2026-03-02 10:15:02 UTC", md);
        Assert.Contains("**Participants:** @alice, @bob", md);
        Assert.Contains($"**Files:** 2 ({Png.Length + 120} bytes)", md);
        Assert.Contains($"| graph.png | {Png.Length} | `{new string('a', 64)}` |", md);
        Assert.Contains("| db\\|prod \\[1\\].log | 120 |", md);
        Assert.Contains($"**JSON SHA-256:** `{new string('c', 64)}`", md);
        Assert.EndsWith("```json\n" + Sample().ToJson() + "\n```\n", md);
    }

    [Fact]
    public void ToJson_SameManifest_IsStable()
    {
        Assert.Equal(Sample().ToJson(), Sample().ToJson());
        Assert.Contains("\"jsonSha256\": \"" + new string('c', 64) + "\"", Sample().ToJson());
    }
}
