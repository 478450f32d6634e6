using System.Globalization;

namespace Incidents.Simulators.PagerDuty;

/// <summary>
/// PagerDuty's REST rate limit: a number of requests per minute and API key, announced on every answer with the
/// <c>ratelimit-limit</c>, <c>ratelimit-remaining</c> and <c>ratelimit-reset</c> (seconds until the window resets) headers.
/// </summary>
internal sealed class PagerDutyRateLimits(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _windows = new(StringComparer.Ordinal);

    public void Reset()
    {
        lock (_gate)
        {
            _windows.Clear();
        }
    }

    /// <summary>Counts a request; false when the key has used up its window. The headers describe the state after it.</summary>
    public (bool Allowed, Dictionary<string, string> Headers) Hit(string key, int limit)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var (start, used) = _windows.TryGetValue(key, out var window) && now - window.Start < Window ? window : (now, 0);
            var allowed = used < limit;
            if (allowed)
            {
                used++;
            }
            _windows[key] = (start, used);
            return (allowed, Headers(limit, limit - used, start + Window - now));
        }
    }

    public static Dictionary<string, string> Headers(int limit, int remaining, TimeSpan reset) =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["ratelimit-remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture),
            ["ratelimit-reset"] = ((int)Math.Ceiling(Math.Max(0, reset.TotalSeconds))).ToString(CultureInfo.InvariantCulture),
        };
}
