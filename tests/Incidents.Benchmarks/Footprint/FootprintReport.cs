using System.Text;
using Incidents.Benchmarks.Stack;
using static Incidents.Benchmarks.Stack.ReportHeader;

namespace Incidents.Benchmarks.Footprint;

/// <summary>The footprint section of docs/benchmarks.md.</summary>
internal static class FootprintReport
{
    public const string Start = "<!-- bench:footprint:start -->";
    public const string End = "<!-- bench:footprint:end -->";

    public static string Section(FootprintResult r)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine(Start);
        s.AppendLine("## Footprint: start-up, idle memory, database size, admin list query");
        s.AppendLine();
        s.AppendLine("Written by `tests/Incidents.Benchmarks` (rerun it to refresh this section). Separate processes on 127.0.0.1: a throwaway PostgreSQL");
        s.AppendLine(Inv($"{r.PostgresVersion} ({r.Settings}), the migrator, the standalone simulators (no added latency) and the service (Release build, defaults,"));
        s.AppendLine(Inv($"`Logging__LogLevel__Default=Warning`). Start-up: process start → first 200 from `/health/ready` (polled every 5 ms), {o.Starts} starts one after"));
        s.AppendLine(Inv($"the other. Idle memory: `VmRSS` from `/proc/<pid>/status` {o.IdleSeconds} s after the last start answered ready. Database size: `pg_database_size`"));
        s.AppendLine(Inv($"and `pg_total_relation_size` per table after a `CHECKPOINT`, before and after {o.Lifecycles:N0} complete lifecycles (open, 3 comments, 50 seeded"));
        s.AppendLine("messages, close → transcript published, verified, room deleted). List query: incidents added by binary `COPY` (one in five open, created over three");
        s.AppendLine("years, one channel each, then `ANALYZE`), then the median of the HTTP call's time from the driver over sequential calls after two unmeasured ones.");
        s.AppendLine();
        Append(s, r.Machine, r.Date, r.Command);
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | --- |");
        Row(s, "start-up to ready, median of starts", Inv($"**{Percentiles.Median(r.StartMs):F0} ms** (each: {string.Join(", ", r.StartMs.Select(m => Inv($"{m:F0}")))} ms)"));
        Row(s, Inv($"idle working set ({o.IdleSeconds} s after ready)"), Inv($"**{r.IdleRssMb:F0} MB** VmRSS"));
        Row(s, "database size, empty schema", Inv($"{Mb(r.Empty.Database)}"));
        Row(s, Inv($"**database growth per 1,000 closed incidents with transcripts**"), Inv($"**{Mb((long)r.PerThousand(r.Empty.Database, r.Closed.Database))}** ({o.Lifecycles:N0} lifecycles took {r.LifecycleSeconds:F1} s)"));
        var tables = r.Closed.Tables.Select(t => (t.Key, Growth: r.PerThousand(r.Empty.Tables.GetValueOrDefault(t.Key), t.Value))).Where(t => t.Growth > 0).OrderByDescending(t => t.Growth);
        Row(s, "per table, per 1,000 (data + indexes + TOAST)", string.Join(", ", tables.Select(t => Inv($"{t.Key} {Mb((long)t.Growth)}"))));
        s.AppendLine();
        s.AppendLine(Inv($"Admin list query, median of {o.Samples} calls:"));
        s.AppendLine();
        s.AppendLine("| incidents in the table | `GET /incidents?page=1&pageSize=50` | `…&state=open` |");
        s.AppendLine("| --- | --- | --- |");
        foreach (var l in r.List)
        {
            s.AppendLine(Inv($"| {l.Rows:N0} | {l.AllMs:F2} ms | {l.OpenMs:F2} ms |"));
        }

        s.AppendLine(Inv($"| **ratio largest / smallest** | **{r.AllRatio:F1}×** | **{r.OpenRatio:F1}×** |"));
        s.AppendLine();
        if (!r.Flat)
        {
            s.AppendLine(Inv($"Not flat. `EXPLAIN ANALYZE` at {r.List[^1].Rows:N0} rows of the two statements the endpoint runs for `state=open` (the count, then the page):"));
            s.AppendLine();
            s.AppendLine("```text");
            s.AppendLine(r.Plans);
            s.AppendLine("```");
            s.AppendLine();
        }

        s.AppendLine("| target | result |");
        s.AppendLine("| --- | --- |");
        Row(s, Inv($"list query flat (largest / smallest ≤ {FootprintOptions.MaxFlatRatio:F1}×)"), Inv($"{Verdict(r.Flat)} (all {r.AllRatio:F1}×, open {r.OpenRatio:F1}×)"));
        s.AppendLine(End);
        return s.ToString();
    }

    private static string Mb(long bytes) => Inv($"{bytes / 1024.0 / 1024.0:F1} MB");
}
