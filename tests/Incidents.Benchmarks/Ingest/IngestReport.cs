using System.Text;
using Incidents.Benchmarks.Stack;
using static Incidents.Benchmarks.Stack.ReportHeader;

namespace Incidents.Benchmarks.Ingest;

/// <summary>The ingest section of docs/benchmarks.md.</summary>
internal static class IngestReport
{
    public const string Start = "<!-- bench:ingest:start -->";
    public const string End = "<!-- bench:ingest:end -->";

    public static string Section(IngestResult r)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine(Start);
        s.AppendLine("## Ingest: signed webhooks against a durable database");
        s.AppendLine();
        s.AppendLine("Written by `tests/Incidents.Benchmarks` (rerun it to refresh this section). The driver starts, as separate processes on 127.0.0.1: a throwaway");
        s.AppendLine(Inv($"PostgreSQL {r.PostgresVersion} with durable settings ({r.Durability}, full_page_writes on; data on the machine's disk), the migrator, the **floor** program"));
        s.AppendLine("(`tests/Incidents.Benchmarks.Floor`: bare Kestrel endpoint that reads the body, checks `X-Hub-Signature-256` in constant time and does one pooled Npgsql");
        s.AppendLine("`INSERT` of delivery id + body as `text`, unique on the delivery id) and the service (Release build, `Logging__LogLevel__Default=Warning`,");
        s.AppendLine("`Outbox__Background=false` and `Webhooks__RateLimitPerMinute=0` (one load generator is one sender): the webhook handler only stores — delivery, incident, channel, outbox and timeline rows, committed before the answer — and outbox");
        s.AppendLine(Inv($"processing would compete for the same 2 cores). Load: Debian's `wrk` ({o.Threads} threads, {o.Connections} connections, keep-alive) rotating through"));
        s.AppendLine(Inv($"{o.Pool:N0} pre-signed `issues.opened` bodies ({r.BodyBytes:N0} bytes each: the captured payload re-pointed to distinct issue numbers), a new"));
        s.AppendLine(Inv($"`X-GitHub-Delivery` per request; each target gets a {o.WarmupSeconds} s warm-up, then {o.Seconds} s measured, one after the other in the same run."));
        s.AppendLine("wrk's latency is closed-loop (at saturation it is mostly queueing). The half-rate run is open-loop (what wrk2 does; Debian's wrk has no `-R`): a C#");
        s.AppendLine("generator in the driver process sends request i at start + i/rate and counts its latency from that intended time (2 s warm-up not counted).");
        s.AppendLine();
        Append(s, r.Machine, r.Date, r.Command);
        s.AppendLine();
        s.AppendLine("| target | requests | req/s | p50 | p99 | max | non-2xx / socket errors | CPU per request: target + PostgreSQL |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        Line(s, "floor (Kestrel + HMAC + 1 INSERT)", r.Floor);
        Line(s, "**service** (`POST /webhooks/github`)", r.Service);
        s.AppendLine(Inv($"| service, open loop at {r.Half.TargetRate:N0} req/s (half its max) | {r.Half.Counted:N0} | {r.Half.Rate:N0} | {r.Half.P50Ms:F1} ms | **{r.Half.P99Ms:F1} ms** | {r.Half.MaxMs:F1} ms | {r.Half.Failures} | |"));
        s.AppendLine();
        s.AppendLine(Inv($"Group commit during the service's measured run (`incidents_webhooks_batch` from its `/metrics`): {r.Batches.Transactions:N0} transactions stored {r.Batches.Events:N0} events, **{r.Batches.Mean:F1} per transaction** on average; {r.Batches.SingleShare:P0} of the transactions held a single event."));
        s.AppendLine(Inv($"Rows stored (all runs, warm-ups included): deliveries {r.Stored.Deliveries:N0}, incidents {r.Stored.Incidents:N0}, outbox {r.Stored.Outbox:N0}, timeline {r.Stored.Timeline:N0}; floor_deliveries {r.Stored.FloorDeliveries:N0}."));
        if (r.Service.Repeats > 0)
        {
            s.AppendLine(Inv($"The service's measured run went past its part of the pool: {r.Service.Repeats:N0} requests re-sent an already opened issue (new delivery id), which the service stores as a delivery with nothing to do."));
        }

        s.AppendLine();
        s.AppendLine("| target | result |");
        s.AppendLine("| --- | --- |");
        Row(s, Inv($"service ≥ {IngestOptions.MinFloorRatio:F1} × floor throughput"), Inv($"{Verdict(r.RatioHolds)} ({r.Service.Rate:N0} / {r.Floor.Rate:N0} = **{r.Ratio:F2}×**)"));
        Row(s, Inv($"p99 < {IngestOptions.MaxHalfRateP99Ms:F0} ms at half the maximum rate"), Inv($"{Verdict(r.HalfRateHolds)} ({r.Half.P99Ms:F1} ms at {r.Half.TargetRate:N0} req/s, {r.Half.Failures} failures{(r.Half.Failures > 0 ? ": " + r.Half.FailureKinds : "")})"));
        s.AppendLine(End);
        return s.ToString();
    }

    private static void Line(StringBuilder s, string name, WrkResult w) =>
        s.AppendLine(Inv($"| {name} | {w.Requests:N0} | **{w.Rate:N0}** | {w.P50Ms:F1} ms | {w.P99Ms:F1} ms | {w.MaxMs:F1} ms | {w.StatusErrors} / {w.SocketErrors} | {w.ProcessCpuMsPerRequest:F2} + {w.PostgresCpuMsPerRequest:F2} ms |"));
}
