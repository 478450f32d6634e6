using System.Text.Json;
using Incidents.Chat;
using Incidents.Transcripts;
using static Incidents.UnitTests.Transcripts.TranscriptSamples;

namespace Incidents.UnitTests.Transcripts;

/// <summary>Both renderers write as the entries arrive: output exists long before the last entry is produced.</summary>
public sealed class TranscriptStreamingTests
{
    private const int Count = 20_000;

    /// <summary>Produces entries one at a time and records how much output existed when the middle one was asked for.</summary>
    private sealed class CountingEntries(Func<long> outputSoFar)
    {
        public int Produced { get; private set; }
        public long OutputAtHalf { get; private set; } = -1;

        public async IAsyncEnumerable<TranscriptEntry> Entries()
        {
            for (var i = 0; i < Count; i++)
            {
                if (i == Count / 2)
                {
                    OutputAtHalf = outputSoFar();
                }
                if (i % 1000 == 0)
                {
                    await Task.Yield();
                }
                Produced++;
                var message = new ChatMessage($"m{i:D5}", T0.AddSeconds(i * 10), i % 2 == 0 ? "alice" : "bob", null, $"message {i} with some text");
                yield return new TranscriptEntry(message, [], false);
            }
        }
    }

    private static TranscriptHeader LargeHeader() =>
        new("inc-big", "octo/repo#1", "big", "https://github.com/octo/repo/issues/1", Count, 0, 0, T0, T0.AddSeconds((Count - 1) * 10), ["alice", "bob"]);

    [Fact]
    public async Task JsonWriteAsync_TwentyThousandMessages_IsWrittenWhileTheEntriesAreStillBeingProduced()
    {
        using var output = new MemoryStream();
        var entries = new CountingEntries(() => output.Length);

        var written = await JsonTranscript.WriteAsync(output, LargeHeader(), entries.Entries(), [], CancellationToken.None);

        Assert.Equal(Count, entries.Produced);
        Assert.True(entries.OutputAtHalf > 100_000, $"only {entries.OutputAtHalf} bytes were written after {Count / 2} entries");
        Assert.Equal(output.Length, written);
        using var doc = JsonDocument.Parse(output.ToArray());
        Assert.Equal(Count, doc.RootElement.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task HtmlWriteAsync_TwentyThousandMessages_IsWrittenWhileTheEntriesAreStillBeingProduced()
    {
        using var output = new StringWriter();
        var entries = new CountingEntries(() => output.GetStringBuilder().Length);

        await HtmlTranscript.WriteAsync(output, LargeHeader(), entries.Entries(), new Dictionary<string, TranscriptFile>(), (_, _) => Task.FromResult<byte[]?>(null), CancellationToken.None);

        var html = output.ToString();
        Assert.Equal(Count, entries.Produced);
        Assert.True(entries.OutputAtHalf > 100_000, $"only {entries.OutputAtHalf} characters were written after {Count / 2} entries");
        Assert.Equal(Count, html.Split("<article class=\"msg\"").Length - 1);
        Assert.EndsWith("</html>\n", html);
    }

    [Fact]
    public async Task JsonWriteAsync_Cancelled_StopsEnumerating()
    {
        using var output = new MemoryStream();
        using var cts = new CancellationTokenSource();
        var entries = new CountingEntries(() =>
        {
            cts.Cancel();
            return output.Length;
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JsonTranscript.WriteAsync(output, LargeHeader(), entries.Entries(), [], cts.Token));
        Assert.True(entries.Produced < Count);
    }
}
