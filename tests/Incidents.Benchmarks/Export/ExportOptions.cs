using System.Globalization;

namespace Incidents.Benchmarks.Export;

/// <summary>Size of the seeded channel and whether to update docs/benchmarks.md.</summary>
internal sealed record ExportOptions(int Messages, int Threads, int Replies, int Files, int FileBytes, int BurstEvery, bool WriteDoc)
{
    public const int PageSize = 100;
    public const double MaxPeakMegabytes = 250;
    public const double MaxCallRatio = 1.05;

    public static ExportOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new ExportOptions(100_000, 5_000, 5, 200, 65_536, 0, true);
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
