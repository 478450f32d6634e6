using System.Globalization;
using Incidents.Benchmarks.Ingest;

namespace Incidents.Benchmarks.Footprint;

/// <summary>Starts to time, lifecycles to size the database with, table sizes for the list query, samples per query.</summary>
internal sealed record FootprintOptions(int Starts, int IdleSeconds, int Lifecycles, IReadOnlyList<int> Sizes, int Samples, bool WriteDoc)
{
    /// <summary>"Flat": the 1M-row median at most this many times the 10k-row median.</summary>
    public const double MaxFlatRatio = 2.0;

    public static FootprintOptions Default { get; } = new(5, 10, 1000, [10_000, 100_000, 1_000_000], 20, true);

    public static FootprintOptions Parse(ReadOnlySpan<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--starts" => options with { Starts = IngestOptions.Number(args, ++i) },
                "--idle" => options with { IdleSeconds = IngestOptions.Number(args, ++i) },
                "--lifecycles" => options with { Lifecycles = IngestOptions.Number(args, ++i) },
                "--sizes" when i + 1 < args.Length => options with
                {
                    Sizes = [.. args[++i].Split(',').Select(c => int.Parse(c, NumberStyles.None, CultureInfo.InvariantCulture))],
                },
                "--samples" => options with { Samples = IngestOptions.Number(args, ++i) },
                "--no-doc" => options with { WriteDoc = false },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }

        return options;
    }
}
