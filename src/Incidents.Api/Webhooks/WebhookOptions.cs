using System.ComponentModel.DataAnnotations;

namespace Incidents.Webhooks;

internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Largest webhook body accepted; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
