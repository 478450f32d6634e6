using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>chat.getThreadMessages and chat.getThreadsList.</summary>
internal static class ThreadEndpoints
{
    public static IEnumerable<RcEndpoint> All()
    {
        yield return new RcEndpoint("chat.getThreadMessages", "GET", ThreadMessages) { Params = RcEndpoint.Keys("tmid", "count", "offset", "sort") };
        yield return new RcEndpoint("chat.getThreadsList", "GET", ThreadsList) { Params = RcEndpoint.Keys("rid", "type", "text", "count", "offset", "sort") };
    }

    private static JsonObject ThreadMessages(RcCall call)
    {
        var tmid = call.Query("tmid");
        if (string.IsNullOrEmpty(tmid))
        {
            throw RcErrors.InvalidParams(call.Version, "must have required property 'tmid'", inQuery: true);
        }

        var (count, offset) = Paging.Standard(call);
        var descending = Paging.SortDirection(call, "ts") == -1;
        var root = call.State.FindMessage(tmid);
        if (root is null || root.Hidden)
        {
            throw RcErrors.Meteor("error-invalid-message", "Invalid Message", RoomLookup.MethodDetails("getThreadMessages"));
        }

        var room = call.State.FindRoomById(root.Rid);
        if (room is null || !RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Meteor("error-not-allowed", "Not Allowed", RoomLookup.MethodDetails("getThreadMessages"));
        }

        var replies = room.Timeline.Items.Where(m => m.Tmid == root.Id && !m.Hidden).ToList();
        IEnumerable<MessageRecord> ordered = descending ? Enumerable.Reverse(replies) : replies;
        var page = ordered.Skip(offset).Take(count).Select(RcJson.Message).ToList();
        return new JsonObject
        {
            ["messages"] = Paging.Array(page),
            ["count"] = page.Count,
            ["offset"] = offset,
            ["total"] = replies.Count,
        };
    }

    private static JsonObject ThreadsList(RcCall call)
    {
        var rid = call.Query("rid");
        if (string.IsNullOrEmpty(rid))
        {
            throw RcErrors.InvalidParams(call.Version, "must have required property 'rid'", inQuery: true);
        }

        var (count, offset) = Paging.Standard(call);
        var room = call.State.FindRoomById(rid);
        if (room is null || !RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Meteor("error-not-allowed", "Not Allowed", RoomLookup.MethodDetails("getThreadsList"));
        }

        var type = call.Query("type");
        var text = call.Query("text");
        var roots = room.Timeline.Items.Where(m => m.Tcount is not null && !m.Hidden);
        if (type is "following" or "unread")
        {
            roots = roots.Where(m => m.Replies?.Contains(call.Caller.Id) == true);
        }

        if (!string.IsNullOrEmpty(text))
        {
            roots = roots.Where(m => m.Msg.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        var sorted = roots.OrderByDescending(m => m.Tlm).ThenByDescending(m => m.Seq).ToList();
        var page = sorted.Skip(offset).Take(count).Select(RcJson.Message).ToList();
        return new JsonObject
        {
            ["threads"] = Paging.Array(page),
            ["count"] = page.Count,
            ["offset"] = offset,
            ["total"] = sorted.Count,
        };
    }
}
