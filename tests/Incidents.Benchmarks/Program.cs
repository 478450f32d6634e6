using Incidents.Benchmarks.Stack;

namespace Incidents.Benchmarks;

/// <summary><c>dotnet run -c Release --project tests/Incidents.Benchmarks -- export|ingest|lifecycle|footprint|campaign …</c>; see docs/benchmarks.md and docs/reliability.md.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && BenchCommands.Find(args[0]) is { } bench)
        {
            return await bench(args);
        }

        if (args.Length > 0 && args[0] == "campaign")
        {
            return await Campaigns.CampaignRunner.RunAsync(args);
        }

        await Console.Error.WriteLineAsync("usage: export|ingest|lifecycle|footprint [options] | campaign duplicates|crashes|outages|scale-out|hostile [options]");
        return 2;
    }
}
