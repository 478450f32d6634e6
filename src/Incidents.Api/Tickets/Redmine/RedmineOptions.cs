using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.Redmine;

/// <summary>One Redmine instance (docs/ticket-systems/redmine.md): polled through its REST API, optionally fed by the redmine_webhook plugin.</summary>
internal sealed class RedmineOptions
{
    public const string Section = "Tickets:Redmine";

    /// <summary>Redmine's base URL as the service reaches it; every REST call (and only those) goes here.</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>REST API key of the integration user (secret); its journals are never relayed back.</summary>
    [Required]
    public string ApiKey { get; set; } = "";

    /// <summary>Redmine's base URL as people open it, for issue links in the chat; empty: <see cref="Url"/>.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Shared secret of the redmine_webhook plugin's URL (?token=…) or X-Webhook-Token header (secret); empty: webhooks are refused.</summary>
    public string WebhookToken { get; set; } = "";

    /// <summary>Time between two polls of the REST API; 00:00:00 turns polling off (webhooks only).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far before the saved cursor every poll reads again (timestamps have whole seconds; late commits).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far back the very first poll of an instance looks.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, only issues of this project (by identifier, subprojects excluded) become incidents.</summary>
    public string? Project { get; set; }

    /// <summary>Redmine's "Text formatting" setting: textile, markdown or common_mark.</summary>
    [AllowedValues("textile", "markdown", "common_mark")]
    public string TextFormatting { get; set; } = "textile";

    /// <summary>Write transcript notes as private notes (the integration user needs "Set notes as private").</summary>
    public bool PrivateNotes { get; set; }

    /// <summary>Largest transcript file attached to the issue, in bytes (Redmine's "Maximum attachment size"); 0: no attachment.</summary>
    [Range(0, 1L << 30)]
    public long MaxAttachmentBytes { get; set; } = 5_242_880;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
