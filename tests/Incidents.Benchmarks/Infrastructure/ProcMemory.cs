using System.Globalization;

namespace Incidents.Benchmarks.Infrastructure;

/// <summary>Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c>, in KiB.</summary>
internal readonly record struct ProcMemory(long RssKb, long HwmKb)
{
    public static ProcMemory Read(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kb(line);
            }
        }

        return new ProcMemory(rss, hwm);
    }

    public static double Mb(long kb) => kb / 1024.0;

    private static long Kb(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
