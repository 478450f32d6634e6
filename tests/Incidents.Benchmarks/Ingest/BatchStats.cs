using System.Globalization;
using System.Text.RegularExpressions;

namespace Incidents.Benchmarks.Ingest;

/// <summary>
/// The service's <c>incidents_webhooks_batch</c> histogram (webhook events per database transaction) read from
/// <c>/metrics</c>; the difference of two readings describes the transactions in between.
/// </summary>
internal sealed partial record BatchStats(double Transactions, double Events, double Singles)
{
    public double Mean => Transactions == 0 ? 0 : Events / Transactions;

    public double SingleShare => Transactions == 0 ? 0 : Singles / Transactions;

    public static async Task<BatchStats> ReadAsync(Uri service, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = service };
        var text = await http.GetStringAsync("metrics", ct);
        return new BatchStats(Value(text, "incidents_webhooks_batch_count"), Value(text, "incidents_webhooks_batch_sum"),
            Value(text, "incidents_webhooks_batch_bucket", "le=\"1\""));
    }

    public static BatchStats operator -(BatchStats after, BatchStats before) =>
        new(after.Transactions - before.Transactions, after.Events - before.Events, after.Singles - before.Singles);

    private static double Value(string metrics, string name, string? label = null)
    {
        foreach (Match m in Series().Matches(metrics))
        {
            if (m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Series();
}
