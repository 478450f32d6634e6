using Incidents.Chat.RocketChat;
using Microsoft.Extensions.Options;

namespace Incidents.Dashboard;

/// <summary>
/// <c>GET /dashboard/api/settings</c> (admin key): where the chat lives, so the dashboard can link a channel by its
/// name. <c>Dashboard:ChatUrl</c> overrides <c>RocketChat:Url</c> when the service reaches the chat under an
/// internal address that browsers cannot (as in the compose stack).
/// </summary>
internal static class DashboardSettings
{
    public sealed record Settings(string? ChatUrl, bool PrivateChannels);

    public static Settings Handle(IConfiguration configuration, IOptions<RocketChatOptions> chat)
    {
        var url = configuration["Dashboard:ChatUrl"];
        if (string.IsNullOrWhiteSpace(url))
        {
            url = chat.Value.Url?.ToString();
        }
        var usable = Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https";
        return new Settings(usable ? parsed!.ToString().TrimEnd('/') : null, chat.Value.PrivateChannels);
    }
}
