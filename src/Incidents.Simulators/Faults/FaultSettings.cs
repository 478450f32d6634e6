namespace Incidents.Simulators;

/// <summary>JSON shape of one target in <c>POST /_sim/faults</c>; null members are left unchanged.</summary>
public sealed class FaultSettings
{
    public bool? Down { get; init; }
    public string? DownMode { get; init; }
    public double? ErrorRate { get; init; }
    public int? Seed { get; init; }
    public int? LatencyMs { get; init; }
    public int? TooManyRequests { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public int? FailAfterCommit { get; init; }
}
