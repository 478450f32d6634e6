using System.Diagnostics;

namespace Incidents.Benchmarks.Infrastructure;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(int Processors, double MemoryGb, string DotnetVersion, string Os, string Kernel)
{
    public static async Task<MachineInfo> ReadAsync(CancellationToken ct)
    {
        var memKb = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.AsSpan(9).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)).Select(l => l[12..].Trim('"')).FirstOrDefault()
            : null;
        return new MachineInfo(Environment.ProcessorCount, memKb / 1024.0 / 1024.0, (await OutputAsync("dotnet", "--version", ct)).Trim(),
            os ?? Environment.OSVersion.ToString(), (await OutputAsync("uname", "-r", ct)).Trim());
    }

    public static async Task<string> OutputAsync(string file, string arguments, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return output;
    }
}
