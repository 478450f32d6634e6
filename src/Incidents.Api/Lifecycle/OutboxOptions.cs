using System.ComponentModel.DataAnnotations;

namespace Incidents.Lifecycle;

internal sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Run the processor and reconciler in this process (tests drive them explicitly instead).</summary>
    public bool Background { get; set; } = true;

    /// <summary>How often an idle instance looks for due work written by other instances.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 32;

    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// Rows claimed beyond the free slots, so that the next step starts the moment a slot frees instead of after a claim's round
    /// trip. Their leases are kept while they wait; they are given back when the processor stops.
    /// </summary>
    [Range(0, 256)]
    public int ClaimAhead { get; set; } = 2;

    /// <summary>How long a claimed row stays reserved; a crashed instance's rows are taken over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failures (not counting rate limits) after which a row is dead until re-queued by an operator.</summary>
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the reconciler compares desired and known state.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);
}
