using System.Text;
using Incidents.Benchmarks.Infrastructure;
using static Incidents.Benchmarks.Stack.ReportHeader;

namespace Incidents.Benchmarks.Lifecycle;

/// <summary>The lifecycle section of docs/benchmarks.md.</summary>
internal static class LifecycleReport
{
    public const string Start = "<!-- bench:lifecycle:start -->";
    public const string End = "<!-- bench:lifecycle:end -->";

    public static string Section(LifecycleOptions o, MachineInfo machine, string date, string command, IReadOnlyList<LifecycleRun> runs)
    {
        var s = new StringBuilder();
        s.AppendLine(Start);
        s.AppendLine(Inv($"## Lifecycle: {o.Tickets:N0} tickets with {o.LatencyMs} ms per outside call"));
        s.AppendLine();
        s.AppendLine("Written by `tests/Incidents.Benchmarks` (rerun it to refresh this section). Per outbox concurrency, on a fresh stack of separate processes on");
        s.AppendLine(Inv($"127.0.0.1 — a throwaway PostgreSQL ({runs.FirstOrDefault()?.Settings}), the migrator, the standalone simulators with `POST /_sim/faults"));
        s.AppendLine(Inv($"{{\"rocketchat\":{{\"latencyMs\":{o.LatencyMs}}},\"github\":{{\"latencyMs\":{o.LatencyMs}}}}}` and the service with its background outbox (`Outbox__MaxConcurrency` as below, `Webhooks__RateLimitPerMinute=0` since one driver is the only sender, other"));
        s.AppendLine(Inv($"settings default) — every ticket is opened (`issues.opened`), commented on {o.Comments} times (`issue_comment.created`), and once its channel exists and its queued work is done"));
        s.AppendLine(Inv($"its room is seeded with {o.Messages} messages (`POST /_sim/seed`) and the ticket is closed; webhooks go 8 at a time. Done when every channel is"));
        s.AppendLine("`Removed` (transcript published, verified, room deleted). Time runs from the first webhook to the last `removed_at`. Calls are `GET /_sim/calls`");
        s.AppendLine(o.Warmup > 0
            ? Inv($"after minus before. Before the measured round, the same service runs a warm-up round of {o.Warmup:N0} other tickets through the same lifecycle, not counted")
                + " (as the ingest benchmark's warm-up seconds): a long-running service has long finished JIT-compiling its hot paths, and a cold one"
                + " spends much of its CPU on that (cold and warm figures in the notes below the table)."
            : "after minus before. No warm-up round (`--warmup 0`): the service starts cold.");
        s.AppendLine();
        s.AppendLine(Inv($"**Bound**: each of the C outbox slots runs one step at a time and every call costs at least {o.LatencyMs} ms, so an incident needs at least"));
        s.AppendLine(Inv($"calls × {o.LatencyMs} ms of one slot's time; C slots complete at most C × 60 s / (calls × {o.LatencyMs} ms) incidents a minute. Calls per incident"));
        s.AppendLine(Inv($"(design minimum {o.MinimumRocketChatCalls} Rocket.Chat + {LifecycleOptions.MinimumGitHubCalls} GitHub = {o.MinimumRocketChatCalls + LifecycleOptions.MinimumGitHubCalls}): open = create (topic included) + first message, one"));
        s.AppendLine("message per comment plus the closing notice, close = archive + one history page + delete; one transcript comment + one read-back on GitHub.");
        s.AppendLine();
        Append(s, machine, date, command);
        s.AppendLine();
        s.AppendLine("| concurrency | wall time | **incidents / min** | steady (10th→90th pct) | bound | ratio | calls per incident (RC + GH) vs minimum | slot use |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in runs)
        {
            s.AppendLine(r.Outcome.Failure is { } failure
                ? Inv($"| {r.Concurrency} | **failed** after {r.Outcome.Seconds:F1} s: {failure.Replace("|", "\\|", StringComparison.Ordinal)} | | | | | | |")
                : Inv($"| {r.Concurrency} | {r.Outcome.Seconds:F1} s | **{r.PerMinute:N0}** | {r.SteadyPerMinute:N0} | {r.Bound:N0} | **{r.Ratio:F2}×** | {r.RocketChatPerIncident:F2} + {r.GitHubPerIncident:F2} = {r.CallsPerIncident:F2} vs {r.MinimumCalls} | {r.SlotUse:P0} |"));
        }

        s.AppendLine();
        s.AppendLine("CPU per incident during the run (user + system from `/proc/<pid>/stat`; every process of the run shares the machine's cores), and the");
        s.AppendLine("**CPU ceiling**: the incidents a minute the cores could complete at that cost, whatever the latency (cores × 60 s / CPU per incident):");
        s.AppendLine();
        s.AppendLine("| concurrency | service | PostgreSQL | simulators | driver | **total** | CPU ceiling | achieved / ceiling |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in runs.Where(r => r.Outcome.Failure is null))
        {
            double Ms(double seconds) => seconds * 1000 / r.Tickets;
            s.AppendLine(Inv($"| {r.Concurrency} | {Ms(r.Cpu.Service):F1} ms | {Ms(r.Cpu.Postgres):F1} ms | {Ms(r.Cpu.Simulators):F1} ms | {Ms(r.Cpu.Driver):F1} ms | **{r.CpuMsPerIncident:F1} ms** | {r.CpuCeiling:N0} / min ({r.CpuCeiling / r.Bound:F2}× the bound) | {r.PerMinute / r.CpuCeiling:F2} |"));
        }

        s.AppendLine();
        s.AppendLine("Where the time goes (successful attempts, from the timeline's `action` entries; minimum = its calls × latency):");
        s.AppendLine();
        s.AppendLine("| concurrency | step | rows | attempts | mean duration | calls × latency |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in runs)
        {
            foreach (var step in r.Steps)
            {
                var calls = step.Kind switch { "open-channel" => 2, "post-message" => 1, "close-channel" => 5, _ => 0 };
                s.AppendLine(Inv($"| {r.Concurrency} | {step.Kind} | {step.Rows:N0} | {step.Attempts:N0} | {step.MeanMs:F1} ms | {calls * o.LatencyMs} ms |"));
            }
        }

        s.AppendLine();
        foreach (var r in runs)
        {
            s.AppendLine(Inv($"- Calls at concurrency {r.Concurrency}: Rocket.Chat {Calls(r.RocketChat)}; GitHub {Calls(r.GitHub)}"));
        }

        s.AppendLine();
        s.AppendLine("| target | result |");
        s.AppendLine("| --- | --- |");
        foreach (var r in runs)
        {
            if (r.Concurrency == LifecycleOptions.ConfiguredConcurrency)
            {
                Row(s, Inv($"concurrency {r.Concurrency} (the service's default `Outbox:MaxConcurrency`): ≥ {LifecycleOptions.MinBoundRatio:F1} × bound"),
                    Inv($"{Verdict(r.Holds)} ({r.PerMinute:N0} / {r.Bound:N0} = {r.Ratio:F2}×)"));
            }
            else if (r.Outcome.Failure is null)
            {
                // Another concurrency shows how the rate scales, and where the machine's cores, not the latency, set the limit.
                Row(s, Inv($"concurrency {r.Concurrency}: rate (scaling, not the target)"),
                    Inv($"{r.PerMinute:N0} / {r.Bound:N0} = {r.Ratio:F2}× of the latency bound; {r.PerMinute / r.CpuCeiling:F2}× of the CPU ceiling ({r.CpuCeiling:N0} / min)"));
            }
            Row(s, Inv($"concurrency {r.Concurrency}: calls per incident = minimum {r.MinimumCalls}"), Inv($"{Verdict(r.CallsHold)} ({r.CallsPerIncident:F2})"));
        }

        s.AppendLine(End);
        return s.ToString();
    }

    private static string Calls(IReadOnlyDictionary<string, int> calls) =>
        string.Join(", ", calls.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Select(c => Inv($"{c.Key} {c.Value:N0}")));
}
