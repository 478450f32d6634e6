using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Incidents.Benchmarks.Micro;

// dotnet run -c Release --project tests/Incidents.Benchmarks.Micro -- --filter '*' [--job short]
// Writes the GitHub-Markdown tables into docs/benchmarks.md between the micro markers.
var started = TimeProvider.System.GetUtcNow().UtcDateTime;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(WebhookBenchmarks).Assembly).Run(args, DefaultConfig.Instance);
// One GitHub-Markdown report per benchmark class, written by this run (a summary's title carries a timestamp, the file name does not).
var reports = summaries.Select(s => s.ResultsDirectoryPath).Distinct()
    .SelectMany(dir => Directory.GetFiles(dir, "*-report-github.md"))
    .Where(p => File.GetLastWriteTimeUtc(p) >= started).Order(StringComparer.Ordinal)
    .Select(File.ReadAllText).ToList();
if (reports.Count > 0)
{
    var section = new StringBuilder();
    section.AppendLine(MicroDoc.Start);
    section.AppendLine("## Micro: the webhook hot path and transcript rendering (BenchmarkDotNet)");
    section.AppendLine();
    section.AppendLine("Written by `tests/Incidents.Benchmarks.Micro` (`dotnet run -c Release --project tests/Incidents.Benchmarks.Micro -- " + string.Join(' ', args) + "`), " +
        TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) + ". `VerifySignature` and `Read` run on the captured `issues.opened`");
    section.AppendLine("payload; the transcript benchmarks render N messages (divide by N for the cost per message). `Allocated` is per operation ([MemoryDiagnoser]).");
    section.AppendLine();
    foreach (var report in reports)
    {
        section.AppendLine(report.Trim());
        section.AppendLine();
    }

    section.AppendLine(MicroDoc.End);
    MicroDoc.Write(section.ToString());
}
