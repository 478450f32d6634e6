using System.ComponentModel.DataAnnotations;

namespace Incidents.Chat.RocketChat;

internal sealed class RocketChatOptions
{
    public const string Section = "RocketChat";

    /// <summary>Base URL of the Rocket.Chat server, e.g. https://chat.example.com.</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>User id of the bot user that owns the personal access token.</summary>
    [Required]
    public string UserId { get; set; } = "";

    /// <summary>Personal access token of the bot user (secret).</summary>
    [Required]
    public string AuthToken { get; set; } = "";

    /// <summary>Create private groups instead of public channels.</summary>
    public bool PrivateChannels { get; set; }

    /// <summary>Messages per history call (Rocket.Chat clamps channels.history at 100).</summary>
    [Range(10, 100)]
    public int HistoryPageSize { get; set; } = 100;

    /// <summary>Per-call timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
