using System.Globalization;
using Incidents.Benchmarks.Ingest;

namespace Incidents.Benchmarks.Lifecycle;

/// <summary>The lifecycle scenario: tickets, comments and channel messages per ticket, latency per call, outbox concurrencies.</summary>
internal sealed record LifecycleOptions(int Tickets, int Comments, int Messages, int LatencyMs, IReadOnlyList<int> Concurrencies, bool WriteDoc, int Warmup = 1000)
{
    public const double MinBoundRatio = 0.8;

    /// <summary>The service's default <c>Outbox:MaxConcurrency</c>: the configured concurrency the rate target is measured at.</summary>
    public const int ConfiguredConcurrency = 8;

    /// <summary>Design minimum per incident: open (create with topic, first message) + one message per comment + the closing
    /// notice + close (archive, one history page, delete) on Rocket.Chat; one transcript comment + one read-back on GitHub.</summary>
    public int MinimumRocketChatCalls => 2 + Comments + 1 + 3;

    public const int MinimumGitHubCalls = 2;

    public static LifecycleOptions Default { get; } = new(1000, 3, 50, 20, [8, 32], true);

    public static LifecycleOptions Parse(ReadOnlySpan<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--tickets" => options with { Tickets = IngestOptions.Number(args, ++i) },
                "--comments" => options with { Comments = IngestOptions.Number(args, ++i) },
                "--messages" => options with { Messages = IngestOptions.Number(args, ++i) },
                "--warmup" => options with { Warmup = IngestOptions.Number(args, ++i) },
                "--latency-ms" => options with { LatencyMs = IngestOptions.Number(args, ++i) },
                "--concurrency" when i + 1 < args.Length => options with
                {
                    Concurrencies = [.. args[++i].Split(',').Select(c => int.Parse(c, NumberStyles.None, CultureInfo.InvariantCulture))],
                },
                "--no-doc" => options with { WriteDoc = false },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }

        return options;
    }
}
