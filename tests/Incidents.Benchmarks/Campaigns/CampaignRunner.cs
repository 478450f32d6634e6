using System.Diagnostics;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>Runs one campaign, prints its checks and a PASS/FAIL line, and refreshes its row in docs/reliability.md.</summary>
internal static class CampaignRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, cancel.Token);
    }

    private static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        CampaignOptions options;
        try
        {
            options = CampaignOptions.Parse(args.AsSpan(1));
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var command = $"dotnet run -c {RepoPaths.Configuration} --project tests/Incidents.Benchmarks -- {string.Join(' ', args.Where(a => a != "--no-doc"))}";
        var machine = await MachineInfo.ReadAsync(ct);
        Console.WriteLine($"Campaign {options.Name}: {machine}");
        var clock = Stopwatch.StartNew();
        CampaignResult result;
        try
        {
            result = options.Name switch
            {
                "duplicates" => await DuplicatesCampaign.RunAsync(options, ct),
                "crashes" => await CrashesCampaign.RunAsync(options, ct),
                "outages" => await OutagesCampaign.RunAsync(options, ct),
                "scale-out" => await ScaleOutCampaign.RunAsync(options, ct),
                _ => await HostileCampaign.RunAsync(options, ct),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Campaign {options.Name} could not run: {e}");
            return 3;
        }

        var wall = clock.Elapsed;
        Console.WriteLine();
        foreach (var check in result.Checks)
        {
            Console.WriteLine(check);
        }

        foreach (var figure in result.Figures)
        {
            Console.WriteLine($"  {figure}");
        }

        Console.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}: campaign {options.Name} ({result.Load}; {result.Faults}) in {wall.TotalSeconds:F0} s");
        if (options.WriteDoc)
        {
            var date = (await MachineInfo.OutputAsync("date", "-u +%Y-%m-%dT%H:%MZ", ct)).Trim();
            ReliabilityDoc.Write(result, wall, machine, date, command);
            Console.WriteLine($"Updated {ReliabilityDoc.Path}");
        }

        return result.Passed ? 0 : 1;
    }
}
