using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.Jira;

/// <summary>One Jira site (Cloud or Data Center): webhook verification and the REST API transcripts are written to.</summary>
internal sealed class JiraOptions : IValidatableObject
{
    public const string Section = "Tickets:Jira";

    public const string Cloud = "Cloud";
    public const string DataCenter = "DataCenter";

    /// <summary>Secret set on the Jira admin webhook; verifies <c>X-Hub-Signature: sha256=…</c> (secret).</summary>
    [Required]
    public string WebhookSecret { get; set; } = "";

    /// <summary>Base URL of the Jira site (with the context path on Data Center); every API call and browse link is built from it, never from a payload.</summary>
    [Required]
    public Uri? SiteUrl { get; set; }

    /// <summary>"Cloud" (Basic email:API token, attachments read through the REST content endpoint) or "DataCenter" (Bearer personal access token).</summary>
    [RegularExpression("^(Cloud|DataCenter)$", ErrorMessage = "must be Cloud or DataCenter")]
    public string Deployment { get; set; } = Cloud;

    /// <summary>REST API version of the write-back: 3 (Cloud only, comments in Atlassian Document Format) or 2 (Cloud and Data Center, wiki markup).</summary>
    [Range(2, 3)]
    public int ApiVersion { get; set; } = 3;

    /// <summary>Cloud: e-mail address of the Atlassian account the API token belongs to.</summary>
    public string Email { get; set; } = "";

    /// <summary>Cloud: API token of that account (secret).</summary>
    public string ApiToken { get; set; } = "";

    /// <summary>Data Center: personal access token of the integration user (secret).</summary>
    public string PersonalAccessToken { get; set; } = "";

    /// <summary>The integration user's accountId (Cloud) or username/key (Data Center): its comments are never relayed into a channel.</summary>
    public string IntegrationUser { get; set; } = "";

    /// <summary>Comma-separated project keys; when set, only issues of these projects become incidents.</summary>
    public string ProjectKeys { get; set; } = "";

    /// <summary>Comma-separated issue type names; when set, only issues of these types become incidents.</summary>
    public string IssueTypes { get; set; } = "";

    /// <summary>Restricts transcript comments: "role:NAME" or "group:NAME"; empty posts them with the issue's visibility.</summary>
    [RegularExpression("^((role|group):.+)?$", ErrorMessage = "must be role:NAME or group:NAME")]
    public string CommentVisibility { get; set; } = "";

    /// <summary>The site's text field limit (jira.text.field.character.limit); comments are split well below it.</summary>
    [Range(10_000, 10_000_000)]
    public int CharacterLimit { get; set; } = 32_767;

    /// <summary>Largest transcript file attached to the issue (the site's attachment limit); 0 attaches nothing.</summary>
    [Range(0, 2_147_483_648)]
    public long MaxAttachmentBytes { get; set; } = 10_485_760;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsCloud => Deployment == Cloud;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsCloud && (string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(ApiToken)))
        {
            yield return new ValidationResult("Jira Cloud needs Email and ApiToken", [string.IsNullOrEmpty(Email) ? nameof(Email) : nameof(ApiToken)]);
        }
        if (!IsCloud && string.IsNullOrEmpty(PersonalAccessToken))
        {
            yield return new ValidationResult("Jira Data Center needs PersonalAccessToken", [nameof(PersonalAccessToken)]);
        }
        if (!IsCloud && ApiVersion != 2)
        {
            yield return new ValidationResult("Jira Data Center has REST API version 2 only", [nameof(ApiVersion)]);
        }
        if (SiteUrl is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult("must be an absolute http(s) URL", [nameof(SiteUrl)]);
        }
    }
}
