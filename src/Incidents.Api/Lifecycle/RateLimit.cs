using System.Globalization;
using RestSharp;

namespace Incidents.Lifecycle;

/// <summary>Reads when a rate-limited API wants to be called again.</summary>
internal static class RateLimit
{
    /// <summary>
    /// <c>Retry-After</c> (seconds or an HTTP date) wins; else <c>X-RateLimit-Reset</c>, which Rocket.Chat sends as
    /// epoch milliseconds and GitHub as epoch seconds; else <c>RateLimit-Reset</c> (seconds to wait); else one minute from now.
    /// </summary>
    public static DateTimeOffset ResetAt(RestResponse response, DateTimeOffset now)
    {
        var retryAfter = Header(response, "Retry-After");
        if (retryAfter is not null)
        {
            if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return now.AddSeconds(seconds);
            }
            if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return date;
            }
        }
        var reset = Header(response, "X-RateLimit-Reset");
        if (reset is not null && long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            return epoch > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(epoch) : DateTimeOffset.FromUnixTimeSeconds(epoch);
        }
        // The IETF draft header (PagerDuty sends it as `ratelimit-reset`): seconds until the window resets; a value
        // that can only be a date is read as epoch seconds.
        var draft = Header(response, "RateLimit-Reset");
        if (draft is not null && long.TryParse(draft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100_000_000_000)
        {
            return value < 1_000_000_000 ? now.AddSeconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        }
        return now.AddMinutes(1);
    }

    public static string? Header(RestResponse response, string name) =>
        response.Headers?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value
        ?? response.ContentHeaders?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
}
