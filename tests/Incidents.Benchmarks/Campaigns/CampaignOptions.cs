using System.Globalization;

namespace Incidents.Benchmarks.Campaigns;

/// <summary><c>campaign NAME [--tickets N] [--seed N] [--kills N] [--requests N] [--batch N] [--no-doc]</c>.</summary>
internal sealed record CampaignOptions(string Name, int? Tickets, int Seed, int? Kills, int? Requests, int Batch, bool WriteDoc)
{
    public static readonly string[] Names = ["duplicates", "crashes", "outages", "scale-out", "hostile"];

    public const string Usage = "usage: campaign duplicates|crashes|outages|scale-out|hostile [--tickets N] [--seed N] [--kills N] [--requests N] [--batch N] [--no-doc]";

    public static CampaignOptions Parse(ReadOnlySpan<string> args)
    {
        if (args.Length == 0 || !Names.Contains(args[0]))
        {
            throw new ArgumentException(Usage);
        }

        var options = new CampaignOptions(args[0], null, 1, null, null, 16, true);
        for (var i = 1; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--tickets" => options with { Tickets = Int(args, ++i) },
                "--seed" => options with { Seed = Int(args, ++i) },
                "--kills" => options with { Kills = Int(args, ++i) },
                "--requests" => options with { Requests = Int(args, ++i) },
                "--batch" => options with { Batch = Int(args, ++i) },
                "--no-doc" => options with { WriteDoc = false },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }

        return options;
    }

    private static int Int(ReadOnlySpan<string> args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a positive number\n{Usage}");
}
