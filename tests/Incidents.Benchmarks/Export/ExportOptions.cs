using System.Globalization;

namespace Incidents.Benchmarks.Export;

/// <summary>Size of the seeded channel and whether to update docs/benchmarks.md.</summary>
internal sealed record ExportOptions(int Messages, int Threads, int Replies, int Files, int FileBytes, int BurstEvery, bool WriteDoc)
{
    /// <summary>Diagnostics: where to write every 100 ms sample as CSV (none when null).</summary>
    public string? SamplesPath { get; init; }

    /// <summary>Diagnostics: extra environment of the service (e.g. <c>DOTNET_gcServer=0</c>); such a run never writes the doc.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>();

    public const int PageSize = 100;
    public const double MaxPeakMegabytes = 250;
    public const double MaxCallRatio = 1.05;

    /// <summary>The goal's channel (100,000 messages, 5,000 threads × 5 replies, 200 files of 64 KiB, 1 ms apart).</summary>
    public static ExportOptions Goal { get; } = new(100_000, 5_000, 5, 200, 65_536, 0, true);

    /// <summary>Marker key in docs/benchmarks.md: "export" for the goal's channel, a key naming the size otherwise.</summary>
    public string SectionKey => (Messages, Threads, Replies, Files, FileBytes, BurstEvery) == (Goal.Messages, Goal.Threads, Goal.Replies, Goal.Files, Goal.FileBytes, Goal.BurstEvery)
        ? "export"
        : string.Create(CultureInfo.InvariantCulture, $"export-m{Messages}-t{Threads}-r{Replies}-f{Files}-b{FileBytes}{(BurstEvery > 0 ? $"-burst{BurstEvery}" : "")}");

    public static ExportOptions Parse(ReadOnlySpan<string> args)
    {
        var options = Goal;
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--messages" => options with { Messages = Number(args, ++i) },
                "--threads" => options with { Threads = Number(args, ++i) },
                "--replies" => options with { Replies = Number(args, ++i) },
                "--files" => options with { Files = Number(args, ++i) },
                "--file-bytes" => options with { FileBytes = Number(args, ++i) },
                "--burst-every" => options with { BurstEvery = Number(args, ++i) },
                "--no-doc" => options with { WriteDoc = false },
                "--samples" when i + 1 < args.Length => options with { SamplesPath = Path.GetFullPath(args[++i]) },
                "--service-env" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal) => options with
                {
                    WriteDoc = false,
                    ServiceEnvironment = new Dictionary<string, string>(options.ServiceEnvironment) { [args[i + 1].Split('=', 2)[0]] = args[++i].Split('=', 2)[1] },
                },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }

        return options;
    }

    private static int Number(ReadOnlySpan<string> args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{args[i - 1]}' needs a non-negative number");
}
