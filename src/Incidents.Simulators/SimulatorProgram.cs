using System.Globalization;

namespace Incidents.Simulators;

/// <summary>Standalone entry point: <c>dotnet run --project src/Incidents.Simulators -- --urls http://127.0.0.1:PORT [--rocketchat-version 8]</c>.</summary>
public static class SimulatorProgram
{
    public static async Task Main(string[] args)
    {
        var urls = Argument(args, "--urls") ?? "http://127.0.0.1:5080";
        var version = int.Parse(Argument(args, "--rocketchat-version") ?? "8", CultureInfo.InvariantCulture);
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Urls = urls, RocketChatVersion = version, EnableConsoleLogging = true });
        var bot = host.RocketChat.Bot;
        await Console.Out.WriteLineAsync($"Simulators listening on {host.BaseUrl} (Rocket.Chat {version}.x at {host.BaseUrl}api/v1/, GitHub at {host.BaseUrl})");
        await Console.Out.WriteLineAsync($"Rocket.Chat bot: X-User-Id={bot.Id} X-Auth-Token={bot.Token} (username {bot.Username}, password password)");
        await Console.Out.WriteLineAsync($"GitHub: Authorization: Bearer {host.Options.GitHubToken} (login {host.GitHub.BotLogin})");
        await Console.Out.WriteLineAsync($"PagerDuty at {host.BaseUrl}pagerduty: Authorization: Token token={PagerDutyState.DefaultApiKey}, From: {host.PagerDuty.Bot.Email} (user {host.PagerDuty.Bot.Id})");
        await Console.Out.WriteLineAsync($"Zammad at {host.BaseUrl}zammad: Authorization: Token token={host.Options.ZammadToken} (login {host.Zammad.BotLogin}; create tickets with Zammad.AddTicket)");
        await Console.Out.WriteLineAsync($"Redmine at {host.BaseUrl}redmine/: X-Redmine-API-Key: {host.Options.RedmineApiKey} (login {host.Redmine.Bot.Login})");
        await host.WaitForShutdownAsync();
    }

    private static string? Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
