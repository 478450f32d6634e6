using System.ComponentModel.DataAnnotations;

namespace Incidents.Webhooks;

internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Largest webhook body accepted; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Webhooks accepted per minute from one client address for one source (a token bucket that allows a
    /// minute's worth at once); beyond it the answer is 429 with Retry-After. 0 turns the limit off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int RateLimitPerMinute { get; set; } = 6000;
}
