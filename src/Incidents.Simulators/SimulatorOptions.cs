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

    /// <summary>API token the Zammad simulator expects as <c>Authorization: Token token=&lt;token&gt;</c>.</summary>
    public string ZammadToken { get; init; } = "zammad-token";

    /// <summary>Login of the Zammad user the token belongs to (the integration user).</summary>
    public string ZammadBotLogin { get; init; } = "incidents-bot@example.com";

    /// <summary>User id of the Zammad integration user.</summary>
    public long ZammadBotUserId { get; init; } = 17;

    /// <summary>Login name of the GitHub user the token belongs to.</summary>
    public string GitHubBotLogin { get; init; } = "incidents-bot";

    /// <summary>Secret the generic reference receiver verifies callback signatures with (per receiver: <see cref="GenericState.SetSecret"/>).</summary>
    public string GenericSecret { get; init; } = "generic-callback-secret";

    /// <summary>How far a callback's <c>X-Incidents-Timestamp</c> may be from the simulator's clock.</summary>
    public TimeSpan GenericReplayWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest part body the generic receiver stores, in characters (the contract's minimum).</summary>
    public int GenericMaxPartLength { get; init; } = 65_536;

    /// <summary>Largest file the generic receiver stores, in bytes.</summary>
    public long GenericMaxFileBytes { get; init; } = 10_485_760;

    /// <summary>Parts per page of the generic receiver's listing.</summary>
    public int GenericPageSize { get; init; } = 10;

    /// <summary>Jira Cloud credentials the Jira simulator accepts as <c>Authorization: Basic base64(email:token)</c>.</summary>
    public string JiraEmail { get; init; } = "incidents-bot@example.com";

    public string JiraApiToken { get; init; } = "jira-api-token";

    /// <summary>Jira Data Center personal access token the simulator accepts as <c>Authorization: Bearer</c>.</summary>
    public string JiraPersonalAccessToken { get; init; } = "jira-personal-access-token";

    /// <summary>accountId (and display name) of the Jira user both credentials belong to.</summary>
    public string JiraAccountId { get; init; } = "712020:5f1e2d3c-0000-4000-8000-00000000b07";

    /// <summary>Models <c>jira.text.field.character.limit</c> (32,767 by default).</summary>
    public int JiraCharacterLimit { get; init; } = 32_767;

    /// <summary>Models the site's maximum attachment size (Data Center's default: 10 MB).</summary>
    public long JiraMaxAttachmentBytes { get; init; } = 10_485_760;

    /// <summary>API key of the Redmine simulator's integration user ("incidents-bot").</summary>
    public string RedmineApiKey { get; init; } = "redmine-bot-api-key";

    /// <summary>Models Redmine's "Maximum attachment size" (default 5,120 KB), in bytes.</summary>
    public long RedmineMaxAttachmentBytes { get; init; } = 5_242_880;

    /// <summary>When true the standalone host writes request logs to the console.</summary>
    public bool EnableConsoleLogging { get; init; }
}
