using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.PagerDuty;

internal sealed class PagerDutyOptions
{
    public const string Section = "Tickets:PagerDuty";

    /// <summary>Signing secret of the v3 webhook subscription, shown once when it is created; verifies X-PagerDuty-Signature (secret).</summary>
    [Required]
    public string WebhookSecret { get; set; } = "";

    /// <summary>
    /// Further signing secrets accepted as well: the next secret during a rotation, or the secrets of other subscriptions
    /// (one per service or team filter) that deliver to the same URL (secret).
    /// </summary>
    public List<string> AdditionalWebhookSecrets { get; set; } = [];

    /// <summary>REST API key sent as "Authorization: Token token=…", used to list and add incident notes (secret).</summary>
    [Required]
    public string ApiKey { get; set; } = "";

    /// <summary>E-mail address of the PagerDuty user the notes are written as (the required From header).</summary>
    [Required]
    [EmailAddress]
    public string FromEmail { get; set; } = "";

    /// <summary>PagerDuty user id of that user (e.g. PXPGF42): notes it adds come back as incident.annotated and are ignored.</summary>
    public string? IntegrationUserId { get; set; }

    /// <summary>REST API base; the EU service region uses https://api.eu.pagerduty.com.</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://api.pagerduty.com");

    /// <summary>Longest note the service writes, in characters. PagerDuty documents no limit; the default stays conservative.</summary>
    [Range(5_000, 1_000_000)]
    public int MaxCommentLength { get; set; } = 25_000;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
