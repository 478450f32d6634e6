using System.Globalization;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// docs/reliability.md: one table row per campaign, found by its <c>&lt;!-- campaign:NAME --&gt;</c> marker and replaced
/// on every run; the rest of the file (written by hand) is left alone.
/// </summary>
internal static class ReliabilityDoc
{
    public const string TableHeader = "| campaign | load | faults injected | expected | observed | result | wall time | machine, date | rerun |";

    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "docs", "reliability.md");

    public static void Write(CampaignResult result, TimeSpan wall, MachineInfo machine, string date, string command)
    {
        var expected = string.Join("; ", result.Checks.Select(c => $"{c.Name}: {c.Expected}"));
        var observed = string.Join("; ", result.Checks.Select(c => (c.Passed ? "" : "**FAIL** ") + $"{c.Name}: {c.Observed}").Concat(result.Figures));
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| `{result.Name}` | {Cell(result.Load)} | {Cell(result.Faults)} | {Cell(expected)} | {Cell(observed)} | **{(result.Passed ? "PASS" : "FAIL")}** | {wall.TotalSeconds:F0} s | {machine.Processors} CPU, {machine.MemoryGb:F0} GB, {Cell(machine.Os)}, .NET {machine.DotnetVersion}; {date} | `{command}` <!-- campaign:{result.Name} --> |");
        var marker = $"<!-- campaign:{result.Name} -->";
        var lines = File.Exists(Path) ? File.ReadAllLines(Path).ToList() : ["# Reliability campaigns", "", TableHeader, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"];
        var at = lines.FindIndex(l => l.Contains(marker, StringComparison.Ordinal));
        if (at >= 0)
        {
            lines[at] = row;
        }
        else
        {
            var header = lines.FindIndex(l => l.StartsWith(TableHeader, StringComparison.Ordinal));
            if (header < 0)
            {
                lines.AddRange(["", TableHeader, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]);
                header = lines.Count - 2;
            }

            var end = header + 2;
            while (end < lines.Count && lines[end].StartsWith('|'))
            {
                end++;
            }

            lines.Insert(end, row);
        }

        File.WriteAllText(Path, string.Join('\n', lines) + "\n");
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
