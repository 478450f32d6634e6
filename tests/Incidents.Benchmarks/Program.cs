using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Stack;

namespace Incidents.Benchmarks;

/// <summary><c>dotnet run -c Release --project tests/Incidents.Benchmarks -- export [--messages 100000 --threads 5000 --replies 5 --files 200]</c>.</summary>
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

        if (args.Length == 0 || args[0] != "export")
        {
            await Console.Error.WriteLineAsync("usage: export [--messages N] [--threads N] [--replies N] [--files N] [--file-bytes N] [--burst-every N] [--no-doc] [--samples FILE.csv] [--service-env KEY=VALUE]");
            return 2;
        }

        ExportOptions options;
        try
        {
            options = ExportOptions.Parse(args.AsSpan(1));
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await ExportBenchmark.RunAsync(options, string.Join(' ', args), cancel.Token);
    }
}
