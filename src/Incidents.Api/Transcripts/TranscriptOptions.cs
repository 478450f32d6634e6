using System.ComponentModel.DataAnnotations;

namespace Incidents.Transcripts;

internal sealed class TranscriptOptions
{
    public const string Section = "Transcripts";

    /// <summary>External base URL of this service; transcript file links in tickets point here.</summary>
    [Required]
    public Uri? PublicUrl { get; set; }

    /// <summary>Key that signs transcript file links (secret, at least 32 characters).</summary>
    [Required]
    [MinLength(32)]
    public string SigningKey { get; set; } = "";

    /// <summary>How long a transcript file link stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Largest uploaded file kept with a transcript.</summary>
    [Range(1024, 1L << 30)]
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Channels with at most this many messages are read from the database once and rendered from memory (a few MB); larger
    /// ones stream from the database for each rendering, so memory stays flat whatever their size.
    /// </summary>
    [Range(0, 100_000)]
    public int InMemoryMessages { get; set; } = 2_000;
}
