using Incidents.Benchmarks.Export;
using Incidents.Benchmarks.Footprint;
using Incidents.Benchmarks.Ingest;
using Incidents.Benchmarks.Lifecycle;

namespace Incidents.Benchmarks.Stack;

/// <summary>
/// The benchmark subcommands:
/// <c>dotnet run -c Release --project tests/Incidents.Benchmarks -- export|ingest|lifecycle|footprint [options]</c>.
/// </summary>
internal static class BenchCommands
{
    public static Func<string[], Task<int>>? Find(string command) => command switch
    {
        "export" => args => RunAsync(args, ExportOptions.Parse, ExportBenchmark.RunAsync),
        "ingest" => args => RunAsync(args, IngestOptions.Parse, IngestBenchmark.RunAsync),
        "lifecycle" => args => RunAsync(args, LifecycleOptions.Parse, LifecycleBenchmark.RunAsync),
        "footprint" => args => RunAsync(args, FootprintOptions.Parse, FootprintBenchmark.RunAsync),
        _ => null,
    };

    private delegate T Parser<out T>(ReadOnlySpan<string> args);

    private static async Task<int> RunAsync<T>(string[] args, Parser<T> parse, Func<T, string, CancellationToken, Task<int>> run)
    {
        T options;
        try
        {
            options = parse(args.AsSpan(1));
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
        try
        {
            return await run(options, string.Join(' ', args), cancel.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Benchmark failed: {e}");
            return 3;
        }
    }
}
