using System.Globalization;
using System.Text;

namespace Incidents.Benchmarks.Export;

/// <summary>The Markdown section of docs/benchmarks.md for one export run.</summary>
internal static class ExportReport
{
    public static string Start(ExportOptions o) => $"<!-- bench:{o.SectionKey}:start -->";

    public static string End(ExportOptions o) => $"<!-- bench:{o.SectionKey}:end -->";

    public static string Section(ExportResult r)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine(Start(o));
        s.AppendLine(o.SectionKey == "export"
            ? Inv($"## Export: {o.Messages:N0}-message channel")
            : Inv($"## Export: {o.Messages:N0}-message channel, {o.Threads:N0} threads × {o.Replies}, {o.Files} files (variant)"));
        s.AppendLine();
        s.AppendLine("Written by `tests/Incidents.Benchmarks` (rerun it to refresh this section). The driver starts, as separate processes on 127.0.0.1: a throwaway");
        s.AppendLine(Inv($"PostgreSQL {r.PostgresVersion} (fsync, synchronous_commit and full_page_writes off: this measures the service, not the disk), the migrator, the standalone"));
        s.AppendLine("simulators and the service (Release build, `Logging__LogLevel__Default=Warning`). It opens an incident with a signed `issues.opened` webhook, seeds the");
        s.AppendLine("channel through `POST /_sim/seed`, sends `issues.closed` and measures until the channel is `Removed` (archived, captured, published as comments,");
        s.AppendLine("verified, deleted). Memory is the service process's `VmHWM` and `VmRSS` (sampled every 100 ms) from `/proc/<pid>/status`; calls are the");
        s.AppendLine("simulator's counters (`GET /_sim/calls`) after minus before the close.");
        s.AppendLine();
        s.AppendLine(Inv($"- Machine: {r.Machine.Processors} CPUs, {r.Machine.MemoryGb:F1} GB RAM, {r.Machine.Os} (kernel {r.Machine.Kernel}), .NET SDK {r.Machine.DotnetVersion}"));
        s.AppendLine($"- Date: {r.Date}");
        s.AppendLine($"- Command: `{r.Command}`");
        s.AppendLine(Inv($"- Channel: {r.SeededMessages:N0} seeded messages ({r.SeededMessages - r.SeededReplies:N0} top-level, {r.SeededThreads:N0} threads × {o.Replies} replies = {r.SeededReplies:N0} replies), {r.SeededFiles} files of {o.FileBytes:N0} bytes, 1 ms apart{(o.BurstEvery > 0 ? Inv($", {o.BurstEvery} per millisecond") : "")}; seeding took {r.SeedSeconds:F1} s"));
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | --- |");
        if (r.Failure is not null)
        {
            Row(s, "**the export did not finish**", r.Failure.Replace("|", "\\|", StringComparison.Ordinal));
        }

        Row(s, "messages exported (transcript `counts.messages`, bot messages included)", r.TranscriptMessages > 0
            ? Inv($"{r.TranscriptMessages:N0} ({r.TranscriptThreads:N0} threads, {r.TranscriptFiles} files)")
            : Inv($"no transcript; {r.CapturedMessages:N0} captured"));
        Row(s, r.Completed ? "export wall time (close webhook → `Removed`)" : "time until the close step died", Inv($"{r.ExportSeconds:F1} s"));
        Row(s, "messages per second", Inv($"{r.MessagesPerSecond:N0}"));
        Row(s, "status progression (s after the close webhook)", string.Join(" → ", r.Transitions.Select(t => Inv($"{t.Status} {t.Seconds:F1}"))));
        Row(s, "**peak working set** (max of VmHWM and sampled VmRSS)", Inv($"**{r.PeakMb:F0} MB** (VmHWM {r.PeakHwmMb:F0} MB, max sampled VmRSS {r.MaxSampledRssMb:F0} MB)"));
        Row(s, "resident before the close", Inv($"VmRSS {r.RssBeforeCloseMb:F0} MB, VmHWM {r.HwmBeforeCloseMb:F0} MB"));
        Row(s, "max sampled VmRSS per phase", string.Join(", ", r.PhasePeaks.Select(p => Inv($"{p.Status} {p.MaxRssMb:F0} MB"))));
        Row(s, "**`channels.history` calls** vs minimum ⌊N/100⌋+1", Inv($"**{r.HistoryCalls:N0}** vs {r.MinimumHistoryCalls:N0} = **{r.CallRatio:F4}×** ({r.ExportPages:N0} pages checkpointed)"));
        Row(s, "Rocket.Chat calls during the export", Inv($"{r.RocketChatCalls.Values.Sum():N0} ({Calls(r.RocketChatCalls)})"));
        Row(s, "GitHub calls during the export", Inv($"{r.GitHubCalls.Values.Sum():N0} ({Calls(r.GitHubCalls)})"));
        Row(s, "transcript sizes", Inv($"JSON {Mb(r.JsonBytes)}, Markdown {Mb(r.MarkdownBytes)} in {r.Parts:N0} parts, HTML {Mb(r.HtmlBytes)}"));
        s.AppendLine();
        s.AppendLine("| target | result |");
        s.AppendLine("| --- | --- |");
        Row(s, "the export finishes (channel `Removed`)", r.Completed ? "holds" : "**FAILS** (see above; the figures cover the run up to the failure)");
        Row(s, Inv($"peak working set < {ExportOptions.MaxPeakMegabytes:F0} MB"), Inv($"{(r.MemoryHolds ? "holds" : "**FAILS**")} ({r.PeakMb:F0} MB)"));
        Row(s, Inv($"history calls ≤ {ExportOptions.MaxCallRatio:F2} × minimum"), Inv($"{(r.CallsHold ? "holds" : "**FAILS**")} ({r.HistoryCalls:N0} ≤ {ExportOptions.MaxCallRatio * r.MinimumHistoryCalls:F0}: {r.CallRatio:F4}×)"));
        s.AppendLine(End(o));
        return s.ToString();
    }

    private static void Row(StringBuilder s, string figure, string value) => s.AppendLine($"| {figure} | {value} |");

    private static string Calls(IReadOnlyDictionary<string, int> calls) =>
        string.Join(", ", calls.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Select(c => Inv($"{c.Key} {c.Value:N0}")));

    private static string Mb(long bytes) => Inv($"{bytes / 1024.0 / 1024.0:F1} MB");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
