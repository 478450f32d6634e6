using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Incidents.Webhooks;

/// <summary>Per-source, per-client-address rate limit of the webhook endpoints (<c>Webhooks:RateLimitPerMinute</c>).</summary>
internal static class WebhookRateLimit
{
    public const string Policy = "webhooks";

    public static IServiceCollection AddWebhookRateLimit(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.AddPolicy(Policy, http =>
        {
            var perMinute = http.RequestServices.GetRequiredService<IOptions<WebhookOptions>>().Value.RateLimitPerMinute;
            if (perMinute <= 0)
            {
                return RateLimitPartition.GetNoLimiter("off");
            }
            var key = $"{http.Request.RouteValues["system"]}/{http.Request.RouteValues["instance"]}|{http.Connection.RemoteIpAddress}";
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = Math.Max(1, perMinute / 60),
                ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        o.OnRejected = async (context, ct) =>
        {
            var http = context.HttpContext;
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = 429, Title = "Too many webhooks", Detail = "This source sent more webhooks than Webhooks:RateLimitPerMinute allows; nothing was stored." },
            });
        };
    });
}
