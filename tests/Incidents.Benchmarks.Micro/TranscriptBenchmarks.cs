using Incidents.Transcripts.Markup;
using BenchmarkDotNet.Attributes;
using Incidents.Chat;
using Incidents.Transcripts;

namespace Incidents.Benchmarks.Micro;

/// <summary>Transcript rendering over N messages (one thread with 3 replies every 10 messages); divide by N for the cost per message.</summary>
[MemoryDiagnoser]
public class TranscriptBenchmarks
{
    private TranscriptEntry[] _entries = [];
    private TranscriptHeader _header = null!;
    private int _budget;

    [Params(1_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var entries = new List<TranscriptEntry>();
        for (var i = 0; entries.Count + entries.Sum(e => e.Replies.Count) < Messages; i++)
        {
            var message = new ChatMessage($"m{i}", start.AddSeconds(i), $"user{i % 7}", $"User {i % 7}",
                $"Message {i}: the checkout service returns 502 for about **3%** of requests since the deploy at 11:40; see https://status.example.com/{i}.");
            var replies = i % 10 == 0
                ? Enumerable.Range(0, 3).Select(r => new ChatMessage($"m{i}r{r}", start.AddSeconds(i).AddMilliseconds(r + 1), "oncall", null, $"Reply {r} to {i}: rolling back.", ThreadId: $"m{i}")).ToList()
                : [];
            entries.Add(new TranscriptEntry(message with { ThreadReplyCount = replies.Count }, replies, false));
        }

        _entries = [.. entries];
        _header = new TranscriptHeader("inc-checkout-502-a1b2c3", "acme/ops#42", "Checkout 502s", "https://github.com/acme/ops/issues/42",
            Messages, _entries.Count(e => e.Replies.Count > 0), 0, start, start.AddSeconds(_entries.Length), ["user0", "user1", "oncall"]);
        _budget = TranscriptComments.BodyBudget(MarkdownMarkup.Instance, 65_536, _header);
    }

    [Benchmark]
    public async Task<int> MarkdownBodies()
    {
        var total = 0;
        await foreach (var body in TranscriptComments.BodiesAsync(MarkdownMarkup.Instance, Entries(), new Dictionary<string, TranscriptFile>(), "{}", _budget, CancellationToken.None))
        {
            total += body.Length;
        }

        return total;
    }

    [Benchmark]
    public Task<long> Json() => JsonTranscript.WriteAsync(Stream.Null, _header, Entries(), [], CancellationToken.None);

#pragma warning disable CS1998 // an async iterator over data already in memory, as the renderers consume it
    private async IAsyncEnumerable<TranscriptEntry> Entries()
#pragma warning restore CS1998
    {
        foreach (var entry in _entries)
        {
            yield return entry;
        }
    }
}
