using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Footprint;

/// <summary>Everything one footprint run measured.</summary>
internal sealed record FootprintResult
{
    public sealed record Sizes(long Database, IReadOnlyDictionary<string, long> Tables);

    public sealed record ListTiming(long Rows, double AllMs, double OpenMs);

    public required FootprintOptions Options { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Command { get; init; }
    public required string Date { get; init; }
    public required string PostgresVersion { get; init; }
    public required string Settings { get; init; }
    public required IReadOnlyList<double> StartMs { get; init; }
    public required double IdleRssMb { get; init; }
    public required Sizes Empty { get; init; }
    public required Sizes Closed { get; init; }
    public required double LifecycleSeconds { get; init; }
    public required IReadOnlyList<ListTiming> List { get; init; }
    public required string Plans { get; init; }

    public double PerThousand(long before, long after) => (after - before) * 1000.0 / Options.Lifecycles;

    public double AllRatio => List.Count < 2 ? 1 : List[^1].AllMs / List[0].AllMs;

    public double OpenRatio => List.Count < 2 ? 1 : List[^1].OpenMs / List[0].OpenMs;

    public bool Flat => AllRatio <= FootprintOptions.MaxFlatRatio && OpenRatio <= FootprintOptions.MaxFlatRatio;
}
