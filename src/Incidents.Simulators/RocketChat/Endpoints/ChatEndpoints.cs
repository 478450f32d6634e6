using System.Globalization;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>chat.* message endpoints.</summary>
internal static class ChatEndpoints
{
    public static IEnumerable<RcEndpoint> All()
    {
        yield return new RcEndpoint("chat.postMessage", "POST", PostMessage)
        {
            Params = RcEndpoint.Keys("roomId", "channel", "text", "alias", "emoji", "avatar", "attachments", "tmid", "customFields", "parseUrls"),
        };
        yield return new RcEndpoint("chat.sendMessage", "POST", SendMessage) { Params = RcEndpoint.Keys("message", "previewUrls") };
        yield return new RcEndpoint("chat.getMessage", "GET", GetMessage) { Params = RcEndpoint.Keys("msgId") };
        yield return new RcEndpoint("chat.update", "POST", Update) { Params = RcEndpoint.Keys("roomId", "msgId", "text", "previewUrls", "customFields") };
        yield return new RcEndpoint("chat.delete", "POST", Delete) { Params = RcEndpoint.Keys("roomId", "msgId", "asUser") };
        yield return new RcEndpoint("chat.react", "POST", React) { Params = RcEndpoint.Keys("messageId", "emoji", "reaction", "shouldReact") };
        yield return new RcEndpoint("chat.pinMessage", "POST", Pin) { Params = RcEndpoint.Keys("messageId") };
    }

    private static JsonObject PostMessage(RcCall call)
    {
        if (call.Version <= 6 && call.Body.ContainsKey("tmid"))
        {
            throw RcErrors.InvalidParams(call.Version, "must NOT have additional properties", inQuery: false);
        }

        var targets = Targets(call.Body["roomId"]);
        var byRoomId = targets.Count > 0;
        if (!byRoomId)
        {
            targets = Targets(call.Body["channel"]);
        }

        if (targets.Count == 0)
        {
            throw RcErrors.Meteor("error-invalid-params", "The 'roomId' or 'channel' property must be provided");
        }

        if (call.Body.ContainsKey("tmid") && !byRoomId)
        {
            throw RcErrors.Plain("tmid is only supported with roomId");
        }

        var text = call.BodyString("text") ?? "";
        var attachments = call.Body["attachments"] as JsonArray;
        MessageRules.EnsureSize(call, text, attachments);
        MessageRules.EnsureThreadRoot(call, call.BodyString("tmid"));
        MessageRecord? first = null;
        foreach (var target in targets)
        {
            var room = Resolve(call, target, byRoomId);
            MessageRules.EnsureCanSend(call, room);
            var message = MessageRules.Post(call, room, call.Body, text);
            first ??= message;
        }

        return new JsonObject
        {
            ["ts"] = first!.Ts.ToUnixTimeMilliseconds(),
            ["channel"] = targets[0],
            ["message"] = RcJson.Message(first),
        };
    }

    private static List<string> Targets(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(n => n?.ToString() ?? "").Where(t => t.Length > 0).ToList(),
        JsonValue value when value.ToString() is { Length: > 0 } text => [text],
        _ => [],
    };

    private static RoomRecord Resolve(RcCall call, string target, bool byRoomId)
    {
        var invalid = RcErrors.Meteor("invalid-channel", null);
        if (byRoomId)
        {
            return call.State.FindRoomById(target) ?? throw invalid;
        }

        switch (target[0])
        {
            case '#':
                var room = call.State.FindRoomByName(target[1..]) ?? throw invalid;
                if (room.Type == "c" && !room.Archived && !room.IsMember(call.Caller.Id))
                {
                    room.MemberIds.Add(call.Caller.Id);
                    call.State.SystemMessage(room, "uj", call.Caller.Username, call.Caller);
                }

                return room;
            case '@':
                throw invalid;
            default:
                return call.State.FindRoom(target) ?? throw invalid;
        }
    }

    private static JsonObject SendMessage(RcCall call)
    {
        if (call.Body["message"] is not JsonObject source)
        {
            throw RcErrors.InvalidParams(call.Version, "must have required property 'message'", inQuery: false);
        }

        var rid = source["rid"]?.ToString();
        if (string.IsNullOrEmpty(rid))
        {
            throw RcErrors.Plain("The 'rid' property on the message object is missing.");
        }

        var tmid = source["tmid"]?.ToString();
        if (source["tshow"] is not null && tmid is null)
        {
            throw RcErrors.Meteor("invalid-params", "tshow provided but missing tmid", RoomLookup.MethodDetails("sendMessage"));
        }

        if (source.ContainsKey("t"))
        {
            throw RcErrors.Meteor("error-invalid-message-type", "Invalid message type", RoomLookup.MethodDetails("sendMessage"));
        }

        var id = source["_id"]?.ToString();
        if (id is not null && call.State.MessageExists(id))
        {
            // The spec leaves the duplicate-_id failure unverified; the simulator answers a Meteor-style 400.
            throw RcErrors.Meteor("error-duplicate-message-id", "Message with this _id already exists", RoomLookup.MethodDetails("sendMessage"));
        }

        var room = call.State.FindRoomById(rid) ?? throw RcErrors.Meteor("invalid-channel", null);
        var text = source["msg"]?.ToString() ?? "";
        MessageRules.EnsureSize(call, text, source["attachments"] as JsonArray);
        MessageRules.EnsureCanSend(call, room);
        MessageRules.EnsureThreadRoot(call, tmid);
        var message = MessageRules.Post(call, room, source, text, id);
        return new JsonObject { ["message"] = RcJson.Message(message) };
    }

    private static JsonObject GetMessage(RcCall call)
    {
        var msgId = call.Query("msgId");
        if (string.IsNullOrEmpty(msgId))
        {
            throw RcErrors.Plain("The \"msgId\" query parameter must be provided.");
        }

        var message = Visible(call, msgId) ?? throw RcErrors.Meteor("error-invalid-message", "Invalid message");
        var room = call.State.FindRoomById(message.Rid);
        if (room is null || !RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Meteor("error-action-not-allowed", "Not allowed");
        }

        return new JsonObject { ["message"] = RcJson.Message(message) };
    }

    private static JsonObject Update(RcCall call)
    {
        var msgId = call.BodyString("msgId") ?? "";
        var message = Visible(call, msgId) ?? throw RcErrors.Plain($"No message found with the id of \"{msgId}\".");
        if (message.Rid != call.BodyString("roomId"))
        {
            throw RcErrors.Plain("The room id provided does not match where the message is from.");
        }

        var room = call.State.FindRoomById(message.Rid)!;
        if (message.User.Id != call.Caller.Id && !RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Meteor("error-action-not-allowed", "Message editing not allowed", new JsonObject { ["method"] = "updateMessage", ["action"] = "Message_editing" });
        }

        var text = call.BodyString("text") ?? "";
        MessageRules.EnsureSize(call, text, null);
        var now = call.Now;
        call.State.SetText(message, text);
        message.EditedAt = now;
        message.EditedBy = new UserRef(call.Caller.Id, call.Caller.Username, null);
        message.UpdatedAt = now;
        if (call.Body["customFields"] is JsonObject customFields)
        {
            message.CustomFields = (JsonObject)customFields.DeepClone();
        }

        return new JsonObject { ["message"] = RcJson.Message(message) };
    }

    private static JsonObject Delete(RcCall call)
    {
        var msgId = call.BodyString("msgId") ?? "";
        var message = Visible(call, msgId) ?? throw RcErrors.Plain($"No message found with the id of \"{msgId}\".");
        if (message.Rid != call.BodyString("roomId"))
        {
            throw RcErrors.Plain("The room id provided does not match where the message is from.");
        }

        var room = call.State.FindRoomById(message.Rid)!;
        if (message.User.Id != call.Caller.Id && !RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Meteor("error-action-not-allowed", "Not allowed", new JsonObject { ["method"] = "deleteMessage", ["action"] = "Delete_message" });
        }

        call.State.DeleteMessage(message, new UserRef(call.Caller.Id, call.Caller.Username, call.Caller.Name));
        return new JsonObject
        {
            ["_id"] = message.Id,
            ["ts"] = call.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["message"] = new JsonObject { ["_id"] = message.Id, ["rid"] = message.Rid, ["u"] = RcJson.UserRef(message.User) },
        };
    }

    private static JsonObject React(RcCall call)
    {
        var message = Required(call);
        var emoji = call.BodyString("emoji") ?? call.BodyString("reaction") ?? "";
        emoji = $":{emoji.Trim(':')}:";
        var room = call.State.FindRoomById(message.Rid)!;
        if (!RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Meteor("error-not-allowed", "Not allowed", RoomLookup.MethodDetails("setReaction"));
        }

        message.Reactions ??= new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var usernames = message.Reactions.TryGetValue(emoji, out var list) ? list : message.Reactions[emoji] = [];
        var has = usernames.Contains(call.Caller.Username);
        var shouldReact = call.BodyBool("shouldReact") ?? !has;
        if (shouldReact && !has)
        {
            usernames.Add(call.Caller.Username);
        }
        else if (!shouldReact && has)
        {
            usernames.Remove(call.Caller.Username);
        }

        if (usernames.Count == 0)
        {
            message.Reactions.Remove(emoji);
        }

        message.UpdatedAt = call.Now;
        return [];
    }

    private static JsonObject Pin(RcCall call)
    {
        var message = Required(call);
        var room = call.State.FindRoomById(message.Rid)!;
        if (!RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Meteor("error-action-not-allowed", "Not allowed", RoomLookup.MethodDetails("pinMessage"));
        }

        var now = call.Now;
        message.Pinned = true;
        message.PinnedAt = now;
        message.PinnedBy = new UserRef(call.Caller.Id, call.Caller.Username, null);
        message.UpdatedAt = now;
        var system = call.State.NewMessage(room, call.Caller, "");
        system.T = "message_pinned";
        system.Attachments =
        [
            new JsonObject
            {
                ["text"] = message.Msg,
                ["author_name"] = message.User.Username,
                ["author_icon"] = $"/avatar/{message.User.Username}",
                ["ts"] = Hosting.IsoTime.Millis(message.Ts),
            },
        ];
        call.State.Store(room, system);
        return new JsonObject { ["message"] = RcJson.Message(system) };
    }

    private static MessageRecord Required(RcCall call)
    {
        var messageId = call.BodyString("messageId");
        if (string.IsNullOrEmpty(messageId))
        {
            throw RcErrors.Meteor("error-messageid-param-not-provided", "The required \"messageId\" param is missing.");
        }

        return Visible(call, messageId)
            ?? throw RcErrors.Meteor("error-message-not-found", "The provided \"messageId\" does not match any existing message.");
    }

    private static MessageRecord? Visible(RcCall call, string id) =>
        call.State.FindMessage(id) is { Hidden: false } message ? message : null;
}
