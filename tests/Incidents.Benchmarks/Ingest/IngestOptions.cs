using System.Globalization;

namespace Incidents.Benchmarks.Ingest;

/// <summary>Load shape of the ingest benchmark (the same for the floor and the service).</summary>
internal sealed record IngestOptions(int Seconds, int WarmupSeconds, int Connections, int Threads, int Pool, bool WriteDoc)
{
    public const double MinFloorRatio = 0.8;
    public const double MaxHalfRateP99Ms = 25;

    public static IngestOptions Default { get; } = new(20, 5, 32, 2, 150_000, true);

    public static IngestOptions Parse(ReadOnlySpan<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = Number(args, ++i) },
                "--warmup" => options with { WarmupSeconds = Number(args, ++i) },
                "--connections" => options with { Connections = Number(args, ++i) },
                "--threads" => options with { Threads = Number(args, ++i) },
                "--pool" => options with { Pool = Number(args, ++i) },
                "--no-doc" => options with { WriteDoc = false },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }

        return options.Threads < 1 || options.Connections < options.Threads || options.Seconds < 1
            ? throw new ArgumentException("need --threads ≥ 1, --connections ≥ --threads and --seconds ≥ 1")
            : options;
    }

    internal static int Number(ReadOnlySpan<string> args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{args[i - 1]}' needs a non-negative number");
}
