using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>getValidRoomName with default settings (§5).</summary>
internal static partial class RoomNameRules
{
    private static readonly HashSet<string> Blocked = new(["admin", "administrator", "system", "user"], StringComparer.OrdinalIgnoreCase);

    public static string Validate(RocketChatState state, string? rawName)
    {
        var name = rawName?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw RcErrors.Meteor("error-invalid-name", "Invalid name", new JsonObject { ["function"] = "RocketChat.createRoom" });
        }

        if (Blocked.Contains(name) || !ValidName().IsMatch(name))
        {
            var escaped = EscapeHtml(name);
            throw RcErrors.Meteor("error-invalid-room-name", $"{escaped} is not a valid room name.", Details(escaped));
        }

        if (state.FindRoomByName(name) is { } clash)
        {
            throw clash.Archived
                ? RcErrors.Meteor("error-archived-duplicate-name", $"There's an archived channel with name {name}", Details(name))
                : RcErrors.Meteor("error-duplicate-channel-name", $"A channel with name '{name}' exists", Details(name));
        }

        return name;
    }

    /// <summary>@rocket.chat/string-helpers escapeHTML.</summary>
    private static string EscapeHtml(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#x27;", StringComparison.Ordinal);

    private static JsonObject Details(string name) => new()
    {
        ["function"] = "RocketChat.getValidRoomName",
        ["channel_name"] = name,
    };

    [GeneratedRegex("^[0-9a-zA-Z-_.]+$")]
    private static partial Regex ValidName();
}
