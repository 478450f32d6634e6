using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.Zammad;

internal sealed class ZammadOptions
{
    public const string Section = "Tickets:Zammad";

    /// <summary>"HMAC SHA1 Signature Token" of the Zammad webhook; verifies X-Hub-Signature (secret).</summary>
    [Required]
    public string WebhookToken { get; set; } = "";

    /// <summary>Access token of the integration user (permission ticket.agent), sent as "Authorization: Token token=…" (secret).</summary>
    [Required]
    public string Token { get; set; } = "";

    /// <summary>Base URL of the Zammad instance (no /api/v1); the REST API is {Url}/api/v1 and tickets are {Url}/#ticket/zoom/{id}.</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>Login of the integration user; articles it created are our own writes and are ignored when they come back.</summary>
    public string? IntegrationUserLogin { get; set; }

    /// <summary>User id of the integration user (same purpose as IntegrationUserLogin; either or both).</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long? IntegrationUserId { get; set; }

    /// <summary>Optional second factor: the webhook's "HTTP Basic Authentication Username"; with WebhookPassword, Authorization: Basic must match.</summary>
    public string? WebhookUsername { get; set; }

    /// <summary>Optional second factor: the webhook's "HTTP Basic Authentication Password" (secret).</summary>
    public string? WebhookPassword { get; set; }

    /// <summary>Optional second factor: the webhook's "Bearer Token"; Authorization: Bearer must match (secret).</summary>
    public string? WebhookBearerToken { get; set; }

    /// <summary>Trigger name(s), comma-separated, whose deliveries mean "ticket created".</summary>
    public string OpenedTriggers { get; set; } = "incidents:opened";

    /// <summary>Trigger name(s), comma-separated, whose deliveries mean "ticket updated" (state decides close/reopen).</summary>
    public string UpdatedTriggers { get; set; } = "incidents:updated";

    /// <summary>Trigger name(s), comma-separated, whose deliveries carry a new article to relay into the chat.</summary>
    public string ArticleTriggers { get; set; } = "incidents:article";

    /// <summary>Trigger name(s), comma-separated, whose deliveries mean "ticket closed" (the state must agree).</summary>
    public string ClosedTriggers { get; set; } = "incidents:closed";

    /// <summary>Trigger name(s), comma-separated, whose deliveries mean "ticket reopened" (the state must agree).</summary>
    public string ReopenedTriggers { get; set; } = "incidents:reopened";

    /// <summary>Ticket state names, comma-separated, that count as closed; every other state (new, open, pending …) is open.</summary>
    [Required]
    public string ClosedStates { get; set; } = "closed,merged,removed";

    /// <summary>Whether internal articles (internal notes) are relayed into the chat channel.</summary>
    public bool RelayInternalArticles { get; set; } = true;

    /// <summary>When set, only tickets of these groups (names, comma-separated) become incidents.</summary>
    public string? Groups { get; set; }

    /// <summary>Largest transcript article body in characters; Zammad refuses bodies over 1,500,000.</summary>
    [Range(10_000, 1_500_000)]
    public int MaxArticleLength { get; set; } = 1_400_000;

    /// <summary>Largest transcript file attached, in bytes (base64 in a JSON body must fit the proxy's limit, 50 MB by default); 0 attaches none.</summary>
    [Range(typeof(long), "0", "36000000")]
    public long MaxAttachmentBytes { get; set; } = 26_214_400;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
