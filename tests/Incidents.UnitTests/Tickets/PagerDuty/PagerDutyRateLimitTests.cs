using System.Net;
using Incidents.Lifecycle;
using RestSharp;

namespace Incidents.UnitTests.Tickets.PagerDuty;

/// <summary>PagerDuty announces its REST limit with <c>ratelimit-reset</c>: seconds until the window resets (docs: REST API Rate Limits).</summary>
public sealed class PagerDutyRateLimitTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static RestResponse TooMany(params (string Name, string Value)[] headers) => new(new RestRequest())
    {
        StatusCode = HttpStatusCode.TooManyRequests,
        Headers = [.. headers.Select(h => new HeaderParameter(h.Name, h.Value))],
    };

    [Fact]
    public void ResetAt_PagerDutysDocumented429_WaitsTheAnnouncedSeconds() =>
        Assert.Equal(Now.AddSeconds(20), RateLimit.ResetAt(TooMany(("ratelimit-limit", "960"), ("ratelimit-remaining", "0"), ("ratelimit-reset", "20")), Now));

    [Fact]
    public void ResetAt_RetryAfterAlsoPresent_Wins() =>
        Assert.Equal(Now.AddSeconds(5), RateLimit.ResetAt(TooMany(("ratelimit-reset", "20"), ("Retry-After", "5")), Now));

    [Fact]
    public void ResetAt_ValueThatCanOnlyBeADate_IsReadAsEpochSeconds() =>
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_772_359_260), RateLimit.ResetAt(TooMany(("RateLimit-Reset", "1772359260")), Now));

    [Fact]
    public void ResetAt_NoHeaders_WaitsAMinute() =>
        Assert.Equal(Now.AddMinutes(1), RateLimit.ResetAt(TooMany(), Now));
}
