using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>channels/groups .history and .messages (§2.7).</summary>
internal static class HistoryEndpoints
{
    private static readonly IReadOnlySet<string> HistoryParams = RcEndpoint.Keys(
        "roomId", "roomName", "latest", "oldest", "inclusive", "count", "offset", "unreads", "showThreadMessages", "sort");

    private static readonly IReadOnlySet<string> MessagesParams = RcEndpoint.Keys(
        "roomId", "roomName", "count", "offset", "sort", "mentionIds", "starredIds", "pinned");

    public static IEnumerable<RcEndpoint> All()
    {
        yield return new RcEndpoint("channels.history", "GET", call => History(call, "c")) { Params = HistoryParams };
        yield return new RcEndpoint("groups.history", "GET", call => History(call, "p")) { Params = HistoryParams };
        yield return new RcEndpoint("channels.messages", "GET", call => Messages(call, "c")) { Params = MessagesParams };
        yield return new RcEndpoint("groups.messages", "GET", call => Messages(call, "p")) { Params = MessagesParams };
    }

    /// <summary>Resolves a room for reading: channels need canAccess (403 otherwise), groups need membership.</summary>
    internal static RoomRecord Readable(RcCall call, string type)
    {
        var room = RoomEndpoints.Find(call, type, false);
        if (type == "c" && !RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Forbidden(call.Version);
        }

        return room;
    }

    private static JsonObject History(RcCall call, string type)
    {
        var room = Readable(call, type);
        var latest = Date(call, "latest");
        var oldest = Date(call, "oldest");
        var inclusiveText = call.Query("inclusive");
        bool inclusive;
        bool showThreads;
        int count;
        int offset;
        if (type == "c")
        {
            inclusive = inclusiveText == "true";
            showThreads = call.Query("showThreadMessages") == "true";
            (count, offset) = Paging.Standard(call);
        }
        else
        {
            inclusive = call.Version <= 7 ? !string.IsNullOrEmpty(inclusiveText) : inclusiveText == "true";
            showThreads = call.Query("showThreadMessages") != "false";
            count = call.QueryInt("count") ?? 20;
            count = count <= 0 ? int.MaxValue : count;
            offset = Math.Max(0, call.QueryInt("offset") ?? 0);
        }

        var hiddenTypes = call.State.Options.HiddenSystemMessageTypes;
        var page = room.Timeline
            .Descending(latest, oldest, inclusive)
            .Where(m => !m.Hidden)
            .Where(m => m.T is null || !hiddenTypes.Contains(m.T))
            .Where(m => showThreads || m.Tmid is null || m.Tshow == true)
            .Skip(offset)
            .Take(count)
            .Select(RcJson.Message);
        return new JsonObject { ["messages"] = Paging.Array(page) };
    }

    private static JsonObject Messages(RcCall call, string type)
    {
        var room = Readable(call, type);
        var (count, offset) = Paging.Standard(call);
        var ascending = Paging.SortDirection(call, "ts") == 1;
        var mentionIds = Split(call.Query("mentionIds"));
        var starredIds = Split(call.Query("starredIds"));
        var pinnedOnly = call.Query("pinned") == "true";
        var all = room.Timeline.Items.Where(m => !m.Hidden);
        if (mentionIds.Count > 0)
        {
            all = all.Where(m => m.Mentions.Exists(u => mentionIds.Contains(u.Id)));
        }

        if (starredIds.Count > 0)
        {
            all = all.Where(_ => false);
        }

        if (pinnedOnly)
        {
            all = all.Where(m => m.Pinned);
        }

        var matching = all.ToList();
        IEnumerable<MessageRecord> ordered = ascending ? matching : Enumerable.Reverse(matching);
        var page = ordered.Skip(offset).Take(count).Select(RcJson.Message).ToList();
        return new JsonObject
        {
            ["messages"] = Paging.Array(page),
            ["count"] = page.Count,
            ["offset"] = offset,
            ["total"] = matching.Count,
        };
    }

    private static DateTimeOffset? Date(RcCall call, string name)
    {
        var text = call.Query(name);
        if (text is null)
        {
            return null;
        }

        return Hosting.IsoTime.TryParse(text, out var value)
            ? value
            : throw RcErrors.InvalidParams(call.Version, $"must match format \"date-time\" ({name})", inQuery: true);
    }

    private static HashSet<string> Split(string? list) =>
        list is null ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
