using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>channels.* / groups.* / rooms.* lifecycle endpoints.</summary>
internal static class RoomEndpoints
{
    private static readonly IReadOnlySet<string> CreateParams = RcEndpoint.Keys("name", "members", "readOnly", "excludeSelf", "customFields", "extraData");
    private static readonly IReadOnlySet<string> InfoParams = RcEndpoint.Keys("roomId", "roomName");
    private static readonly IReadOnlySet<string> TopicParams = RcEndpoint.Keys("roomId", "roomName", "topic");
    private static readonly IReadOnlySet<string> DescriptionParams = RcEndpoint.Keys("roomId", "roomName", "description");
    private static readonly IReadOnlySet<string> InviteParams = RcEndpoint.Keys("roomId", "roomName", "userId", "username", "user", "userIds", "usernames");

    public static IEnumerable<RcEndpoint> All()
    {
        foreach (var (prefix, type, key) in new[] { ("channels", "c", "channel"), ("groups", "p", "group") })
        {
            yield return new RcEndpoint($"{prefix}.create", "POST", call => Create(call, type, key)) { Params = CreateParams };
            yield return new RcEndpoint($"{prefix}.info", "GET", call => new JsonObject { [key] = RcJson.Room(Find(call, type, false)) }) { Params = InfoParams };
            yield return new RcEndpoint($"{prefix}.setTopic", "POST", call => SetTopic(call, type)) { Params = TopicParams };
            yield return new RcEndpoint($"{prefix}.setDescription", "POST", call => SetDescription(call, type)) { Params = DescriptionParams };
            yield return new RcEndpoint($"{prefix}.invite", "POST", call => Invite(call, type, key)) { Params = InviteParams };
            yield return new RcEndpoint($"{prefix}.archive", "POST", call => Archive(call, type)) { Params = InfoParams };
            yield return new RcEndpoint($"{prefix}.delete", "POST", call => Delete(call, Find(call, type, false))) { Params = InfoParams };
        }

        yield return new RcEndpoint("rooms.info", "GET", RoomsInfo) { Params = RcEndpoint.Keys("roomId", "roomName", "fields") };
        yield return new RcEndpoint("rooms.delete", "POST", RoomsDelete) { Params = RcEndpoint.Keys("roomId") };
    }

    internal static RoomRecord Find(RcCall call, string type, bool checkArchived) =>
        type == "c" ? RoomLookup.Channel(call, checkArchived) : RoomLookup.Group(call, checkArchived);

    private static JsonObject Create(RcCall call, string type, string key)
    {
        var user = call.Caller;
        if (call.Body["name"] is null)
        {
            throw call.Version >= 8
                ? RcErrors.InvalidParams(call.Version, "must have required property 'name'", inQuery: false)
                : RcErrors.Plain("Body param \"name\" is required");
        }

        var name = RoomNameRules.Validate(call.State, call.BodyString("name"));
        var members = call.Body["members"] is JsonArray array
            ? array.Select(n => n?.ToString() ?? "").Where(n => n.Length > 0).ToArray()
            : [];
        var extra = call.Body["extraData"] as JsonObject;
        var room = call.State.CreateRoomRecord(
            name,
            type,
            user,
            members,
            call.BodyBool("excludeSelf") ?? false,
            call.BodyBool("readOnly") ?? false,
            call.Body["customFields"]?.DeepClone() as JsonObject,
            extra?["topic"]?.ToString(),
            extra?["broadcast"] is JsonValue b && b.TryGetValue<bool>(out var broadcast) && broadcast);
        return new JsonObject { [key] = RcJson.Room(room) };
    }

    private static JsonObject SetTopic(RcCall call, string type)
    {
        var room = Find(call, type, true);
        var topic = call.BodyString("topic") ?? throw RcErrors.Plain("The bodyParam \"topic\" is required");
        EnsureEditor(call, room);
        if (string.Equals(room.Topic ?? "", topic, StringComparison.Ordinal))
        {
            throw RcErrors.Plain("The channel topic is the same as what it would be changed to.");
        }

        room.Topic = topic;
        room.UpdatedAt = call.Now;
        call.State.SystemMessage(room, "room_changed_topic", topic, call.Caller);
        return new JsonObject { ["topic"] = topic };
    }

    private static JsonObject SetDescription(RcCall call, string type)
    {
        var room = Find(call, type, true);
        var description = call.BodyString("description") ?? throw RcErrors.Plain("The bodyParam \"description\" is required");
        EnsureEditor(call, room);
        if (string.Equals(room.Description ?? "", description, StringComparison.Ordinal))
        {
            throw RcErrors.Plain("The channel description is the same as what it would be changed to.");
        }

        room.Description = description;
        room.UpdatedAt = call.Now;
        call.State.SystemMessage(room, "room_changed_description", description, call.Caller);
        return new JsonObject { ["description"] = description };
    }

    private static void EnsureEditor(RcCall call, RoomRecord room)
    {
        if (!RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Meteor(
                "error-action-not-allowed",
                "Editing room is not allowed",
                new JsonObject { ["method"] = "saveRoomSettings", ["action"] = "Editing_room" });
        }
    }

    private static JsonObject Invite(RcCall call, string type, string key)
    {
        var room = Find(call, type, true);
        var requested = RequestedUsers(call);
        if (requested.Count == 0)
        {
            throw RcErrors.Meteor("error-users-params-not-provided", "Please provide \"userId\" or \"username\" or \"userIds\" or \"usernames\" as param");
        }

        var users = requested
            .Select(r => call.State.UserById(r) ?? call.State.UserByUsername(r))
            .OfType<UserRecord>()
            .DistinctBy(u => u.Id)
            .ToList();
        if (users.Count == 0)
        {
            throw type == "c"
                ? RcErrors.Swapped("invalid-user-invite-list", "Cannot invite if no users are provided")
                : RcErrors.Meteor("error-empty-invite-list", "Cannot invite if no valid users are provided", RoomLookup.MethodDetails("addUsersToRoom"));
        }

        if (!RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Meteor("error-not-allowed", "Not allowed", RoomLookup.MethodDetails("addUsersToRoom"));
        }

        foreach (var user in users.Where(u => !room.IsMember(u.Id)))
        {
            room.MemberIds.Add(user.Id);
            call.State.SystemMessage(room, "au", user.Username, call.Caller);
        }

        room.UpdatedAt = call.Now;
        return new JsonObject { [key] = RcJson.Room(room) };
    }

    private static List<string> RequestedUsers(RcCall call)
    {
        var result = new List<string>();
        foreach (var single in new[] { "userId", "username", "user" })
        {
            if (call.BodyString(single) is { Length: > 0 } value)
            {
                result.Add(value);
            }
        }

        foreach (var many in new[] { "userIds", "usernames" })
        {
            if (call.Body[many] is JsonArray array)
            {
                result.AddRange(array.Select(n => n?.ToString() ?? "").Where(v => v.Length > 0));
            }
        }

        return result;
    }

    private static JsonObject Archive(RcCall call, string type)
    {
        var room = Find(call, type, true);
        if (!RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Meteor("error-not-authorized", "Not authorized", RoomLookup.MethodDetails("archiveRoom"));
        }

        room.Archived = true;
        room.UpdatedAt = call.Now;
        call.State.SystemMessage(room, "room-archived", "", call.Caller);
        return [];
    }

    private static JsonObject Delete(RcCall call, RoomRecord room)
    {
        if (!RoomLookup.CanManage(call.Caller, room))
        {
            throw RcErrors.Meteor("error-not-allowed", "Not allowed", RoomLookup.MethodDetails("eraseRoom"));
        }

        call.State.EraseRoom(room);
        return [];
    }

    private static JsonObject RoomsInfo(RcCall call)
    {
        var roomId = call.Query("roomId");
        var roomName = call.Query("roomName");
        if (string.IsNullOrEmpty(roomId) && string.IsNullOrEmpty(roomName))
        {
            throw RcErrors.Meteor("error-room-param-not-provided", "The parameter \"roomId\" or \"roomName\" is required");
        }

        var room = !string.IsNullOrEmpty(roomId) ? call.State.FindRoomById(roomId) : call.State.FindRoomByName(roomName!);
        if (room is null || !RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Swapped("not-allowed", "Not Allowed");
        }

        return new JsonObject { ["room"] = RcJson.Room(room) };
    }

    private static JsonObject RoomsDelete(RcCall call)
    {
        var roomId = call.BodyString("roomId");
        if (string.IsNullOrEmpty(roomId))
        {
            throw RcErrors.Plain("The parameter \"roomId\" is required");
        }

        var room = call.State.FindRoomById(roomId)
            ?? throw RcErrors.Meteor("error-room-not-found", "The required \"roomId\" param provided does not match any room");
        if (room.Type == "p" && !room.IsMember(call.Caller.Id) && !call.Caller.IsAdmin)
        {
            throw RcErrors.Meteor("error-room-not-found", "The required \"roomId\" param provided does not match any room");
        }

        return Delete(call, room);
    }
}
