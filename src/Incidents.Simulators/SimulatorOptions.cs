namespace Incidents.Simulators;

/// <summary>Configuration of a <see cref="SimulatorHost"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Clock for every server-assigned timestamp, rate-limit window and upload expiry.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Rocket.Chat major version to imitate: 6, 7 or 8.</summary>
    public int RocketChatVersion { get; init; } = 8;

    public string BotUserId { get; init; } = "incidentsbot00001";

    public string BotUsername { get; init; } = "incidents.bot";

    public string BotToken { get; init; } = "bot-personal-access-token";

    /// <summary>Token the GitHub simulator expects as <c>Authorization: Bearer|token &lt;token&gt;</c>.</summary>
    public string GitHubToken { get; init; } = "github-token";

    /// <summary>When false the bot is rate-limited like a normal user.</summary>
    public bool BotBypassesRateLimit { get; init; } = true;

    public int RateLimitCalls { get; init; } = 10;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Kestrel listen URLs; port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>Models <c>Message_ShowDeletedStatus</c>: deleted messages stay as <c>t:"rm"</c>.</summary>
    public bool ShowDeletedStatus { get; init; }

    /// <summary>Models <c>Hide_System_Messages</c>: system types excluded from <c>*.history</c> (not from <c>*.messages</c>).</summary>
    public IReadOnlyCollection<string> HiddenSystemMessageTypes { get; init; } = [];

    /// <summary>Models <c>Message_MaxAllowedSize</c>.</summary>
    public int MaxMessageSize { get; init; } = 5000;

    /// <summary>Models <c>FileUpload_MaxFileSize</c> in bytes.</summary>
    public long MaxFileSize { get; init; } = 104_857_600;

    /// <summary>Login name of the GitHub user the token belongs to.</summary>
    public string GitHubBotLogin { get; init; } = "incidents-bot";

    /// <summary>API key of the Redmine simulator's integration user ("incidents-bot").</summary>
    public string RedmineApiKey { get; init; } = "redmine-bot-api-key";

    /// <summary>Models Redmine's "Maximum attachment size" (default 5,120 KB), in bytes.</summary>
    public long RedmineMaxAttachmentBytes { get; init; } = 5_242_880;

    /// <summary>When true the standalone host writes request logs to the console.</summary>
    public bool EnableConsoleLogging { get; init; }
}
