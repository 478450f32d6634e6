namespace Incidents.Benchmarks.Lifecycle;

/// <summary>One lifecycle run at one outbox concurrency.</summary>
internal sealed record LifecycleRun
{
    public sealed record Step(string Kind, long Rows, long Attempts, double MeanMs, double TotalMs);

    /// <summary>CPU seconds used during the run by the service, PostgreSQL, the simulators and the driver (this process).</summary>
    public sealed record CpuSeconds(double Service, double Postgres, double Simulators, double Driver)
    {
        public double Total => Service + Postgres + Simulators + Driver;
    }

    public required int Concurrency { get; init; }
    public required LifecycleOptions Options { get; init; }
    public required LifecycleDriver.Outcome Outcome { get; init; }
    public required IReadOnlyDictionary<string, int> RocketChat { get; init; }
    public required IReadOnlyDictionary<string, int> GitHub { get; init; }
    public required IReadOnlyList<Step> Steps { get; init; }
    public required string Settings { get; init; }
    public required CpuSeconds Cpu { get; init; }
    public required int Processors { get; init; }

    /// <summary>CPU milliseconds per incident of every process of the run together.</summary>
    public double CpuMsPerIncident => Cpu.Total * 1000 / Tickets;

    /// <summary>Incidents per minute the machine's cores could complete at this CPU cost per incident, whatever the latency.</summary>
    public double CpuCeiling => Processors * 60_000.0 / CpuMsPerIncident;

    public int Tickets => Options.Tickets;

    public double RocketChatPerIncident => (double)RocketChat.Values.Sum() / Tickets;

    public double GitHubPerIncident => (double)GitHub.Values.Sum() / Tickets;

    public double CallsPerIncident => RocketChatPerIncident + GitHubPerIncident;

    public int MinimumCalls => Options.MinimumRocketChatCalls + LifecycleOptions.MinimumGitHubCalls;

    /// <summary>Incidents per minute if every one of the <see cref="Concurrency"/> slots were always waiting on a call.</summary>
    public double Bound => Concurrency * 60_000.0 / (MinimumCalls * Options.LatencyMs);

    public double PerMinute => Outcome.Failure is null ? Tickets / Outcome.Seconds * 60 : 0;

    /// <summary>Rate between the 10th and the 90th percentile completion (without the ramp-up and the drain).</summary>
    public double SteadyPerMinute
    {
        get
        {
            var done = Outcome.CompletedAt;
            if (done.Count < 10)
            {
                return 0;
            }

            int from = done.Count / 10, to = (done.Count * 9 / 10) - 1;
            return (to - from) / (done[to] - done[from]) * 60;
        }
    }

    public double Ratio => PerMinute / Bound;

    /// <summary>Share of the slots' time spent inside successful steps (Σ step time / (concurrency × wall time)).</summary>
    public double SlotUse => Steps.Sum(s => s.TotalMs) / 1000 / (Concurrency * Outcome.Seconds);

    public bool CallsHold => Math.Abs(CallsPerIncident - MinimumCalls) < 0.005;

    /// <summary>The targets: calls at the minimum at every concurrency; the rate at the service's configured concurrency.</summary>
    public bool Holds => Outcome.Failure is null && CallsHold && (Concurrency != LifecycleOptions.ConfiguredConcurrency || Ratio >= LifecycleOptions.MinBoundRatio);
}
