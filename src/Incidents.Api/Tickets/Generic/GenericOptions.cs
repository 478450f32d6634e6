using System.ComponentModel.DataAnnotations;

namespace Incidents.Tickets.Generic;

/// <summary>Any ticket system that sends the signed JSON webhook of docs/generic-webhook.md and takes transcripts at a callback URL.</summary>
internal sealed class GenericOptions : IValidatableObject
{
    public const string Section = "Tickets:Generic";

    /// <summary>Shared secret the sender signs webhooks with (HMAC-SHA256, <c>X-Incidents-Signature: v1=…</c>) (secret).</summary>
    [Required]
    public string WebhookSecret { get; set; } = "";

    /// <summary>How far a webhook's <c>X-Incidents-Timestamp</c> may be from our clock, either way; older or newer deliveries are answered 401.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The receiver's URL: transcript parts and files are POSTed to it and read back from it (GET). The only URL the service calls.</summary>
    [Required]
    public Uri? CallbackUrl { get; set; }

    /// <summary>Secret our callback requests are signed with; empty: <see cref="WebhookSecret"/> (secret).</summary>
    public string CallbackSecret { get; set; } = "";

    /// <summary>Author name the receiver uses when it copies our transcript into the ticket; comments by it are not relayed into the chat.</summary>
    public string? IntegrationUser { get; set; }

    /// <summary>When set, only tickets carrying this label become incidents.</summary>
    public string? Label { get; set; }

    /// <summary>Longest transcript part body sent, in characters (UTF-16 code units); receivers must accept at least 65,536.</summary>
    [Range(4_000, 1_000_000)]
    public int MaxPartLength { get; set; } = 60_000;

    /// <summary>Largest transcript file (standalone HTML) sent to the receiver; 0 sends no files.</summary>
    [Range(0L, 104_857_600L)]
    public long MaxFileBytes { get; set; } = 10_485_760;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The secret callbacks are signed with.</summary>
    public string EffectiveCallbackSecret => string.IsNullOrEmpty(CallbackSecret) ? WebhookSecret : CallbackSecret;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CallbackUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0))
        {
            yield return new ValidationResult("must be an absolute http(s) URL without query, fragment or user info (the service adds the documented query itself)", [nameof(CallbackUrl)]);
        }
    }
}
