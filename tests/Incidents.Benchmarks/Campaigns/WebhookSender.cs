using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>Sends signed GitHub deliveries and counts every answer by status (0 = no answer: refused, reset, timed out).</summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    /// <summary>Delivery ids that got a 2xx at least once: each must be stored.</summary>
    public ConcurrentDictionary<string, bool> Acknowledged { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every answer is also counted here (e.g. during a database outage).</summary>
    public ConcurrentDictionary<int, int>? Window { get; set; }

    public static string Sign(byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(CampaignStack.WebhookSecret), body));

    /// <summary>One attempt; the status, or 0 when no answer came.</summary>
    public async Task<int> SendAsync(Uri service, Delivery delivery, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service, "webhooks/github")) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", delivery.Event);
        request.Headers.Add("X-GitHub-Delivery", delivery.Id);
        request.Headers.Add("X-Hub-Signature-256", Sign(bytes));
        int status;
        try
        {
            using var response = await _http.SendAsync(request, ct);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            status = 0;
        }

        Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        Window?.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status is >= 200 and < 300)
        {
            Acknowledged.TryAdd(delivery.Id, true);
        }

        return status;
    }

    /// <summary>
    /// Sends until a 2xx, like an operator redelivering from GitHub's Recent Deliveries: a 503, a 429 or no answer is retried
    /// (on the next instance when several are given), bounded by <paramref name="deadline"/>. Returns the final status.
    /// </summary>
    public async Task<int> DeliverAsync(IReadOnlyList<Uri> services, int first, Delivery delivery, TimeSpan deadline, CancellationToken ct)
    {
        var until = TimeProvider.System.GetUtcNow() + deadline;
        var status = 0;
        for (var attempt = 0; TimeProvider.System.GetUtcNow() < until; attempt++)
        {
            status = await SendAsync(services[(first + attempt) % services.Count], delivery, ct);
            if (status is >= 200 and < 300 or (>= 400 and < 500 and not 429))
            {
                return status;
            }

            using var wait = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * (attempt + 1))));
            await wait.WaitForNextTickAsync(ct);
        }

        return status;
    }

    public string Summary() => Describe(Statuses);

    public static string Describe(IEnumerable<KeyValuePair<int, int>> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}×{s.Value}"));

    public void Dispose() => _http.Dispose();
}
