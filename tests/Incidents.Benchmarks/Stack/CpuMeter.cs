using System.Globalization;

namespace Incidents.Benchmarks.Stack;

/// <summary>
/// CPU time (user + system, from <c>/proc/&lt;pid&gt;/stat</c>) of one process and of every PostgreSQL process, so a run can say
/// where each request's CPU went. Counts only processes alive at both readings (PostgreSQL backends of a pool live that long).
/// </summary>
internal sealed class CpuMeter
{
    private const double TicksPerSecond = 100;
    private readonly int _pid;
    private readonly double _process;
    private readonly Dictionary<int, double> _postgres;

    private CpuMeter(int pid)
    {
        _pid = pid;
        _process = Seconds(pid);
        _postgres = Postgres();
    }

    public static CpuMeter Start(int pid) => new(pid);

    /// <summary>CPU seconds of the process and of PostgreSQL since <see cref="Start"/>.</summary>
    public (double Process, double Postgres) Stop()
    {
        var postgres = Postgres().Sum(p => p.Value - _postgres.GetValueOrDefault(p.Key));
        return (Seconds(_pid) - _process, postgres);
    }

    private static Dictionary<int, double> Postgres()
    {
        var all = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat && stat.Comm == "postgres")
            {
                all[pid] = stat.Cpu;
            }
        }

        return all;
    }

    /// <summary>CPU seconds (user + system) one process has used so far; 0 when it is gone.</summary>
    public static double Seconds(int pid) => ReadStat(pid)?.Cpu ?? 0;

    private static (string Comm, double Cpu)? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var fields = text[(close + 2)..].Split(' ');
            // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)), i.e. indexes 11 and 12 here.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (text[(open + 1)..close], ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
