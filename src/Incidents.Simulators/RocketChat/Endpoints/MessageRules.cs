using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>canSendMessage, size limit and thread-root checks shared by the posting endpoints.</summary>
internal static class MessageRules
{
    public static void EnsureCanSend(RcCall call, RoomRecord room)
    {
        if (!RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Plain("error-not-allowed");
        }

        if (room.Archived)
        {
            throw RcErrors.Plain("room_is_archived");
        }

        if (room.ReadOnly && !RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Plain("You can't send messages because the room is readonly.");
        }
    }

    public static void EnsureSize(RcCall call, string? text, JsonArray? attachments)
    {
        var max = call.State.Options.MaxMessageSize;
        var tooLong = (text?.Length ?? 0) > max
            || (attachments?.OfType<JsonObject>().Any(a => (a["text"]?.ToString().Length ?? 0) > max) ?? false);
        if (tooLong)
        {
            throw RcErrors.Plain("error-message-size-exceeded");
        }
    }

    public static void EnsureThreadRoot(RcCall call, string? tmid)
    {
        if (tmid is not null && !call.State.MessageExists(tmid))
        {
            throw RcErrors.Meteor("error-invalid-message", "Invalid message", RoomLookup.MethodDetails("sendMessage"));
        }
    }

    /// <summary>Builds and stores a user message.</summary>
    public static MessageRecord Post(RcCall call, RoomRecord room, JsonObject source, string text, string? id = null)
    {
        var message = call.State.NewMessage(room, call.Caller, text, id);
        message.Tmid = source["tmid"]?.ToString();
        message.Tshow = source["tshow"] is JsonValue tshow && tshow.TryGetValue<bool>(out var show) ? show : null;
        message.Alias = source["alias"]?.ToString();
        message.Emoji = source["emoji"]?.ToString();
        message.Avatar = source["avatar"]?.ToString();
        message.ParseUrls = source["parseUrls"] is JsonValue p && p.TryGetValue<bool>(out var parse) ? parse : null;
        message.CustomFields = source["customFields"]?.DeepClone() as JsonObject;
        message.Blocks = source["blocks"]?.DeepClone() as JsonArray;
        message.Attachments = source["attachments"]?.DeepClone() as JsonArray;
        message.Groupable = message.Alias is not null || message.Attachments is not null ? false : null;
        call.State.Store(room, message);
        return message;
    }
}
