using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>findChannelByIdOrName / findPrivateGroupByIdOrName and access rules.</summary>
internal static class RoomLookup
{
    public static RoomRecord Channel(RcCall call, bool checkArchived)
    {
        var room = Select(call, "error-roomid-param-not-provided");
        if (room is null || room.Type != "c")
        {
            throw RcErrors.Meteor("error-room-not-found", "The required \"roomId\" or \"roomName\" param provided does not match any channel");
        }

        if (checkArchived && room.Archived)
        {
            throw RcErrors.Meteor("error-room-archived", $"The channel, {room.Name}, is archived");
        }

        return room;
    }

    public static RoomRecord Group(RcCall call, bool checkArchived)
    {
        var room = Select(call, "error-room-param-not-provided");
        if (room is null || room.Type != "p" || !room.IsMember(call.Caller.Id))
        {
            throw RcErrors.Meteor("error-room-not-found", "The required \"roomId\" or \"roomName\" param provided does not match any group");
        }

        if (checkArchived && room.Archived)
        {
            throw RcErrors.Meteor("error-room-archived", $"The private group, {room.Name}, is archived");
        }

        return room;
    }

    /// <summary>canAccessRoom: members always; public rooms for callers with view-c-room (not the bot role, which only has view-joined-room).</summary>
    public static bool CanAccess(UserRecord user, RoomRecord room) =>
        room.IsMember(user.Id) || user.IsAdmin || (room.Type == "c" && !user.IsBot);

    public static bool CanManage(UserRecord user, RoomRecord room) =>
        user.IsAdmin || room.OwnerIds.Contains(user.Id);

    public static JsonObject MethodDetails(string method) => new() { ["method"] = method };

    private static RoomRecord? Select(RcCall call, string missingCode)
    {
        var roomId = call.Param("roomId");
        var roomName = call.Param("roomName");
        if (string.IsNullOrWhiteSpace(roomId) && string.IsNullOrWhiteSpace(roomName))
        {
            throw RcErrors.Meteor(missingCode, "The parameter \"roomId\" or \"roomName\" is required");
        }

        return !string.IsNullOrWhiteSpace(roomId)
            ? call.State.FindRoomById(roomId)
            : call.State.FindRoomByName(roomName!.TrimStart('#'));
    }
}
