using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Incidents.Benchmarks.Stack;

namespace Incidents.Benchmarks.Ingest;

/// <summary>
/// An open-loop generator (what wrk2 does; Debian's wrk has no <c>-R</c>): request i is sent at start + i / rate whatever
/// happened to earlier ones, and its latency is counted from that intended time, so a stall is charged to every request it
/// delayed. Bodies are signed up front; the first <c>warmup</c> seconds are sent but not counted.
/// </summary>
internal static class ConstantRateLoad
{
    public sealed record Result(double TargetRate, double Rate, int Counted, double P50Ms, double P99Ms, double MaxMs, int Failures, string FailureKinds);

    public static async Task<Result> RunAsync(Uri service, double rate, int seconds, int warmupSeconds, TicketPayloads payloads, long firstNumber, CancellationToken ct)
    {
        var total = (int)(rate * (seconds + warmupSeconds));
        var bodies = new (byte[] Body, string Signature)[total];
        for (var i = 0; i < total; i++)
        {
            var body = Encoding.UTF8.GetBytes(payloads.Opened(firstNumber + i));
            bodies[i] = (body, TicketPayloads.Signature(body));
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        var latencies = new double[total];
        var failures = 0;
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var ahead = due - clock.Elapsed;
            if (ahead > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(ahead, ct);
            }

            var index = i;
            sends.Add(Task.Run(async () =>
            {
                if (await SendAsync(http, bodies[index], ct) is { } failure)
                {
                    Interlocked.Increment(ref failures);
                    kinds.AddOrUpdate(failure, 1, (_, n) => n + 1);
                }

                latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
            }, ct));
        }

        await Task.WhenAll(sends);
        var counted = latencies.Skip((int)(rate * warmupSeconds)).ToArray();
        var countedSeconds = clock.Elapsed.TotalSeconds - warmupSeconds;
        return new Result(rate, counted.Length / countedSeconds, counted.Length, Percentiles.Of(counted, 50), Percentiles.Of(counted, 99), counted.Max(), failures,
            string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} × {k.Value}")));
    }

    /// <returns>Null when the service accepted the delivery, else what went wrong (status code or exception).</returns>
    private static async Task<string?> SendAsync(HttpClient http, (byte[] Body, string Signature) item, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(item.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", item.Signature);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.GetType().Name + (e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "");
        }
    }
}
