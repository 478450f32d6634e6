using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Fuzzed and malformed webhooks: unsigned ones must store nothing, no request may get a 5xx, and the service must
/// keep answering its liveness probe quickly meanwhile.
/// </summary>
internal static class HostileCampaign
{
    private const int MaxBodyBytes = 1_048_576;
    private const int ClosedMidUpload = 1;

    public static async Task<CampaignResult> RunAsync(CampaignOptions options, CancellationToken ct)
    {
        var unsignedCount = options.Requests ?? 10_000;
        var signedCount = Math.Max(14, unsignedCount / 5);
        // The per-source rate limit is off so every request reaches the size, signature and parsing checks.
        await using var stack = await CampaignStack.StartAsync(1, new Dictionary<string, string> { ["Webhooks__RateLimitPerMinute"] = "0" }, ct);
        var service = stack.Instances[0];
        var inputs = new HostileInputs(new TicketPayloads(), MaxBodyBytes, options.Seed);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        }) { Timeout = TimeSpan.FromSeconds(30) };

        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probe = ProbeLivenessAsync(service.BaseUrl, stopProbe.Token);

        var before = await stack.Db.RowCountsAsync(ct);
        var unsigned = await FireAsync(http, service.BaseUrl, Enumerable.Range(0, unsignedCount).Select(inputs.Unsigned).ToList(), options.Batch * 2, ct);
        var afterUnsigned = await stack.Db.RowCountsAsync(ct);
        var signed = await FireAsync(http, service.BaseUrl, Enumerable.Range(0, signedCount).Select(inputs.Signed).ToList(), options.Batch * 2, ct);
        var afterSigned = await stack.Db.RowCountsAsync(ct);
        await stopProbe.CancelAsync();
        var latencies = await probe;

        latencies.Sort();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        var checks = new List<Check>
        {
            Check.Equal("unsigned/refused responses ≥ 500", 0, unsigned.ServerErrors),
            Check.Equal("unsigned/refused requests answered 2xx", 0, unsigned.Statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value)),
            Check.Equal("unsigned requests without an answer", 0, unsigned.Statuses.GetValueOrDefault(0)),
            Check.Equal("rows stored by unsigned input (deliveries+incidents+outbox)", 0,
                afterUnsigned.Deliveries - before.Deliveries + afterUnsigned.Incidents - before.Incidents + afterUnsigned.Outbox - before.Outbox),
            Check.Equal("signed malformed responses ≥ 500", 0, signed.ServerErrors),
            Check.Equal("signed requests without an answer", 0, signed.Statuses.GetValueOrDefault(0)),
            Check.AtMost("GET /health/live p99 during the run", 250, p99, " ms"),
            Check.Equal("liveness probes failed", 0, latencies.Count(l => l < 0)),
            new Check("service still running", "yes", service.Running ? "yes" : "no", service.Running),
        };
        return new CampaignResult(
            "hostile",
            string.Create(CultureInfo.InvariantCulture, $"{unsignedCount} unsigned/refused + {signedCount} signed malformed requests, {options.Batch * 2} in flight, 1 instance, Webhooks:MaxBodyBytes {MaxBodyBytes}, Webhooks:RateLimitPerMinute 0 (off)"),
            "missing/wrong/malformed signatures, bodies changed after signing, other secrets, truncated JSON, random bytes, bodies over the limit (with length and chunked), unknown sources, odd headers and content types, wrong types, huge fields, unicode/NUL/lone surrogates, out-of-range dates, deep nesting, overlong ids",
            checks,
            [
                $"unsigned answers: {unsigned.Describe()}",
                $"signed answers: {signed.Describe()}",
                string.Create(CultureInfo.InvariantCulture, $"/health/live: {latencies.Count} probes, p50 {p50:F1} ms, p99 {p99:F1} ms, max {latencies.DefaultIfEmpty(0).Max():F1} ms"),
                string.Create(CultureInfo.InvariantCulture, $"rows stored by signed malformed input: deliveries +{afterSigned.Deliveries - afterUnsigned.Deliveries}, incidents +{afterSigned.Incidents - afterUnsigned.Incidents}, outbox +{afterSigned.Outbox - afterUnsigned.Outbox}"),
                .. signed.ServerErrorCategories.Select(c => $"5xx for signed input: {c.Key} ×{c.Value}"),
                .. unsigned.ServerErrorCategories.Select(c => $"5xx for unsigned input: {c.Key} ×{c.Value}"),
                .. unsigned.ByCategory.Where(c => c.Key.EndsWith("→ 200", StringComparison.Ordinal) || c.Key.EndsWith("→ 202", StringComparison.Ordinal) || c.Key.EndsWith("→ 204", StringComparison.Ordinal))
                    .Select(c => $"2xx for unsigned input: {c.Key} ×{c.Value}"),
            ]);
    }

    private static async Task<Outcome> FireAsync(HttpClient http, Uri service, List<HostileInputs.Case> cases, int parallel, CancellationToken ct)
    {
        var outcome = new Outcome();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (c, token) =>
        {
            int status;
            try
            {
                using var request = c.Build(service);
                using var response = await http.SendAsync(request, token);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !token.IsCancellationRequested))
            {
                // The server may answer 413 and close the connection before the client has sent the whole oversized body.
                status = c.Category.StartsWith("oversized", StringComparison.Ordinal) ? ClosedMidUpload : 0;
            }

            outcome.Add(c.Category, status);
        });
        return outcome;
    }

    private static async Task<List<double>> ProbeLivenessAsync(Uri service, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(10) };
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var latencies = new List<double>();
        try
        {
            while (await timer.WaitForNextTickAsync(ct) && latencies.Count < 100_000)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await http.GetAsync("health/live", ct);
                    latencies.Add(response.IsSuccessStatusCode ? clock.Elapsed.TotalMilliseconds : -1);
                }
                catch (HttpRequestException)
                {
                    latencies.Add(-1);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the run is over
        }

        return latencies;
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var ok = sorted.Where(l => l >= 0).ToList();
        return ok.Count == 0 ? double.NaN : ok[Math.Min(ok.Count - 1, (int)Math.Ceiling(p * ok.Count) - 1)];
    }

    private sealed class Outcome
    {
        public ConcurrentDictionary<int, int> Statuses { get; } = new();

        public ConcurrentDictionary<string, int> ServerErrorCategories { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, int> ByCategory { get; } = new(StringComparer.Ordinal);

        public long ServerErrors => Statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

        public void Add(string category, int status)
        {
            Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            ByCategory.AddOrUpdate($"{category} → {status}", 1, (_, n) => n + 1);
            if (status >= 500)
            {
                ServerErrorCategories.AddOrUpdate($"{category} ({status})", 1, (_, n) => n + 1);
            }
        }

        public string Describe() => string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key switch { 0 => "no answer", ClosedMidUpload => "closed mid-upload", _ => s.Key.ToString(CultureInfo.InvariantCulture) }}×{s.Value}"));
    }
}
