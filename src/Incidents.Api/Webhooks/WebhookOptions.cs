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

    /// <summary>
    /// Webhook events stored in one database transaction at most. Events that arrive while a transaction is being
    /// committed wait for the next one, so under load one look-up and one commit serve many webhooks.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 100;

    /// <summary>Transactions storing webhook events at the same time, per instance.</summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 2;
}
