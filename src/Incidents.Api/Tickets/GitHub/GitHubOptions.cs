using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.GitHub;

internal sealed class GitHubOptions
{
    public const string Section = "Tickets:GitHub";

    /// <summary>Secret configured on the GitHub webhook; verifies X-Hub-Signature-256 (secret).</summary>
    [Required]
    public string WebhookSecret { get; set; } = "";

    /// <summary>Token with "Issues: write" used to post transcript comments (secret).</summary>
    [Required]
    public string Token { get; set; } = "";

    /// <summary>REST API base; GitHub Enterprise Server uses https://HOST/api/v3.</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://api.github.com");

    /// <summary>When set, only issues carrying this label become incidents.</summary>
    public string? Label { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
