using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.GitLab;

internal sealed class GitLabOptions
{
    public const string Section = "Tickets:GitLab";

    /// <summary>Secret token of the GitLab webhook, sent verbatim in X-Gitlab-Token and compared in constant time (secret).</summary>
    [Required]
    public string WebhookSecret { get; set; } = "";

    /// <summary>
    /// Signing token of the webhook (whsec_ followed by base64); when set, every delivery must also carry a valid
    /// Standard Webhooks webhook-signature no more than five minutes old (secret).
    /// </summary>
    [RegularExpression("^whsec_[A-Za-z0-9+/]+={0,2}$", ErrorMessage = "must be whsec_ followed by the base64 key GitLab shows")]
    public string? SigningToken { get; set; }

    /// <summary>Access token (personal, project or group) with the api scope, used to write notes and uploads (secret).</summary>
    [Required]
    public string Token { get; set; } = "";

    /// <summary>REST API base, https://HOST/api/v4 for a self-managed instance.</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://gitlab.com/api/v4");

    /// <summary>Username of the token's user: its notes are never relayed back into the channel and only its notes count as transcripts.</summary>
    public string? BotUsername { get; set; }

    /// <summary>When set, only issues and incidents carrying this label become incidents.</summary>
    public string? Label { get; set; }

    /// <summary>When true, only work items of type Incident become incidents (plain issues are ignored).</summary>
    public bool IncidentsOnly { get; set; }

    /// <summary>Largest transcript file uploaded to the issue (GitLab's maximum attachment size); 0 posts no file.</summary>
    [Range(0L, 10L * 1024 * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 100L * 1024 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
