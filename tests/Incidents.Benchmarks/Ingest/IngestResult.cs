using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Ingest;

/// <summary>Everything one ingest run measured.</summary>
internal sealed record IngestResult
{
    public sealed record Rows(long Deliveries, long Incidents, long Outbox, long Timeline, long FloorDeliveries);

    public required IngestOptions Options { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Command { get; init; }
    public required string Date { get; init; }
    public required string PostgresVersion { get; init; }
    public required string Durability { get; init; }
    public required int BodyBytes { get; init; }
    public required WrkResult Floor { get; init; }
    public required WrkResult Service { get; init; }
    public required BatchStats Batches { get; init; }
    public required ConstantRateLoad.Result Half { get; init; }
    public required Rows Stored { get; init; }

    public double Ratio => Service.Rate / Floor.Rate;

    public bool RatioHolds => Ratio >= IngestOptions.MinFloorRatio;

    public bool HalfRateHolds => Half.P99Ms < IngestOptions.MaxHalfRateP99Ms && Half.Failures == 0;
}
