using System.Globalization;
using System.Text;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Stack;

/// <summary>The machine / date / command lines every section starts with, and small formatting helpers.</summary>
internal static class ReportHeader
{
    public static string Command(string arguments) => $"dotnet run -c {RepoPaths.Configuration} --project tests/Incidents.Benchmarks -- {arguments}";

    public static void Append(StringBuilder s, MachineInfo machine, string date, string command)
    {
        s.AppendLine(Inv($"- Machine: {machine.Processors} CPUs, {machine.MemoryGb:F1} GB RAM, {machine.Os} (kernel {machine.Kernel}), .NET SDK {machine.DotnetVersion}"));
        s.AppendLine($"- Date: {date}");
        s.AppendLine($"- Command: `{command}`");
    }

    public static async Task<string> DateAsync(CancellationToken ct) => (await MachineInfo.OutputAsync("date", "-u", ct)).Trim();

    public static void Row(StringBuilder s, string figure, string value) => s.AppendLine($"| {figure} | {value} |");

    public static string Verdict(bool holds) => holds ? "holds" : "**FAILS**";

    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
