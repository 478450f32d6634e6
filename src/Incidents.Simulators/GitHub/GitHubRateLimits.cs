namespace Incidents.Simulators.GitHub;

/// <summary>GitHub's primary rate limit bookkeeping (headers only; never enforced).</summary>
internal sealed class GitHubRateLimits(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _buckets = new(StringComparer.Ordinal);

    public void Reset()
    {
        lock (_gate)
        {
            _buckets.Clear();
        }
    }

    /// <summary>Counts a call and returns the headers GitHub sends with it.</summary>
    public Dictionary<string, string> Hit(string bucket, bool authenticated)
    {
        var now = time.GetUtcNow();
        var limit = authenticated ? 5000 : 60;
        lock (_gate)
        {
            var (start, used) = _buckets.TryGetValue(bucket, out var existing) && now - existing.Start < Window ? existing : (now, 0);
            used++;
            _buckets[bucket] = (start, used);
            return Headers(limit, Math.Max(0, limit - used), start + Window, used);
        }
    }

    public static Dictionary<string, string> Headers(int limit, int remaining, DateTimeOffset reset, int used)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-RateLimit-Limit"] = limit.ToString(culture),
            ["X-RateLimit-Remaining"] = remaining.ToString(culture),
            ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(culture),
            ["X-RateLimit-Used"] = used.ToString(culture),
            ["X-RateLimit-Resource"] = "core",
        };
    }
}
