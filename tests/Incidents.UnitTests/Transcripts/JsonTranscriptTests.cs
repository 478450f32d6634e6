using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incidents.Transcripts;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Transcripts;

public sealed class JsonTranscriptTests
{
    private static async Task<(byte[] Bytes, long Written)> Render(IReadOnlyList<TranscriptEntry> entries, IReadOnlyList<TranscriptFile>? files = null)
    {
        using var output = new MemoryStream();
        var written = await JsonTranscript.WriteAsync(output, Header(entries), Async(entries), files ?? [Image, Log], CancellationToken.None);
        return (output.ToArray(), written);
    }

    [Fact]
    public async Task WriteAsync_SameInputTwice_GivesIdenticalBytesAndSha256()
    {
        var (first, written) = await Render(Entries());
        var (second, _) = await Render(Entries());

        Assert.Equal(first, second);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), Convert.ToHexStringLower(SHA256.HashData(second)));
        Assert.Equal(first.Length, written);
    }

    [Fact]
    public async Task WriteAsync_ReactionsInAnotherDictionaryOrder_GiveTheSameBytes()
    {
        var entries = Entries();
        var reordered = entries.ToList();
        var root = reordered[0].Message;
        reordered[0] = reordered[0] with { Message = root with { Reactions = root.Reactions!.Reverse().ToDictionary(StringComparer.Ordinal) } };

        Assert.Equal((await Render(entries)).Bytes, (await Render(reordered)).Bytes);
    }

    [Fact]
    public async Task WriteAsync_Output_IsCompactWithFixedOrderAndMillisecondUtcTimes()
    {
        var text = Encoding.UTF8.GetString((await Render(Entries())).Bytes);

        Assert.StartsWith("{\"format\":\"incidents.transcript/1\",\"channel\":\"inc-octo-repo-42-abcd1234\",\"ticket\":{\"ref\":\"octo/repo#42\",", text);
        Assert.Contains("\"period\":{\"first\":\"2026-03-01T10:15:03.345Z\",\"last\":\"2026-03-02T10:15:02.345Z\"},\"counts\":{\"messages\":8,\"threads\":1,\"files\":2}", text);
        Assert.Contains("{\"id\":\"b\",\"ts\":\"2026-03-01T10:15:04.345Z\",\"user\":{\"username\":\"bob\"},\"text\":\"looking\"}", text);
        Assert.DoesNotContain("\n", text);
        Assert.DoesNotContain("null", text);
        Assert.DoesNotContain("<script>", text);
    }

    [Fact]
    public async Task WriteAsync_RichChannel_HasNestedRepliesEditsDeletionsReactionsAndFiles()
    {
        using var doc = JsonDocument.Parse((await Render(Entries())).Bytes);
        var messages = doc.RootElement.GetProperty("messages");

        Assert.Equal(["a", "d", "e", "f", "g", "h"], messages.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        var root = messages[0];
        Assert.Equal(["b", "c"], root.GetProperty("replies").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var edited = root.GetProperty("replies")[1].GetProperty("edited");
        Assert.Equal(("2026-03-01T10:16:02.345Z", "carol"), (edited.GetProperty("at").GetString(), edited.GetProperty("by").GetString()));
        Assert.Equal(["bob", "carol"], root.GetProperty("reactions").GetProperty(":+1:").EnumerateArray().Select(u => u.GetString()));
        Assert.True(root.GetProperty("pinned").GetBoolean());
        Assert.Equal("Alice A.", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("bob", root.GetProperty("mentions")[0].GetString());
        Assert.Equal("Status", root.GetProperty("links")[0].GetProperty("title").GetString());

        var removed = messages[1];
        Assert.True(removed.GetProperty("deleted").GetBoolean());
        Assert.Equal("rm", removed.GetProperty("system").GetString());
        Assert.False(removed.TryGetProperty("text", out _));
        Assert.Equal("uj", messages[2].GetProperty("system").GetString());
        Assert.False(messages[2].TryGetProperty("deleted", out _));

        var withFiles = messages[3];
        Assert.Equal(["f1", "f2"], withFiles.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("erin", withFiles.GetProperty("attachments")[0].GetProperty("author").GetString());
        Assert.Equal("gone", messages[4].GetProperty("orphanReplyOf").GetString());
        Assert.False(messages[3].TryGetProperty("orphanReplyOf", out _));

        var files = doc.RootElement.GetProperty("files");
        Assert.Equal(["f1", "f2"], files.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal("image/png", files[0].GetProperty("contentType").GetString());
        Assert.Equal(120, files[1].GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task WriteAsync_Output_RoundTripsThroughSystemTextJson()
    {
        var entries = Entries();
        using var doc = JsonDocument.Parse((await Render(entries)).Bytes);
        var root = doc.RootElement;

        Assert.Equal(JsonTranscript.Format, root.GetProperty("format").GetString());
        Assert.Equal("DB <outage>", root.GetProperty("ticket").GetProperty("title").GetString());
        Assert.Equal(["alice", "bob", "carol", "erin"], root.GetProperty("participants").EnumerateArray().Select(p => p.GetString()));
        var messages = root.GetProperty("messages").EnumerateArray().ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var m = entries[i].Message;
            Assert.Equal(m.Text.Length == 0 ? null : m.Text, messages[i].TryGetProperty("text", out var t) ? t.GetString() : null);
            Assert.Equal(m.Timestamp, messages[i].GetProperty("ts").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task WriteAsync_FileNotKept_HasNeitherHashNorLink()
    {
        using var doc = JsonDocument.Parse((await Render(Entries(), [Image, Log with { Sha256 = "", Link = "" }])).Bytes);
        var log = doc.RootElement.GetProperty("files")[1];

        Assert.Equal(["id", "name", "contentType", "size"], log.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task WriteAsync_EmptyChannel_OmitsPeriodMessagesAndFiles()
    {
        var (bytes, _) = await Render([], []);
        using var doc = JsonDocument.Parse(bytes);

        Assert.False(doc.RootElement.TryGetProperty("period", out _));
        Assert.False(doc.RootElement.TryGetProperty("messages", out _));
        Assert.False(doc.RootElement.TryGetProperty("files", out _));
        Assert.Equal(0, doc.RootElement.GetProperty("counts").GetProperty("messages").GetInt32());
    }
}
