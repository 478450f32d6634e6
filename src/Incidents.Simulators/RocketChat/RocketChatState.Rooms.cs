using System.Text.Json.Nodes;
using Incidents.Simulators.RocketChat;

namespace Incidents.Simulators;

public sealed partial class RocketChatState
{
    private readonly List<RoomRecord> _rooms = [];

    /// <summary>All rooms ever created, including archived and deleted ones.</summary>
    public IReadOnlyList<RoomSnapshot> Rooms
    {
        get
        {
            lock (Gate)
            {
                return _rooms.Select(ToSnapshot).ToArray();
            }
        }
    }

    /// <summary>The live (not deleted) room with this id or name, else null.</summary>
    public RoomSnapshot? Room(string idOrName)
    {
        lock (Gate)
        {
            return FindRoom(idOrName) is { } room ? ToSnapshot(room) : null;
        }
    }

    /// <summary>Creates a room without HTTP (no name validation); creator defaults to the bot and becomes owner.</summary>
    public RoomSnapshot CreateRoom(string name, string type = "c", string? creatorId = null, params string[] memberUsernames)
    {
        lock (Gate)
        {
            var creator = UserById(creatorId ?? _options.BotUserId) ?? throw new ArgumentException("Unknown creator.", nameof(creatorId));
            return ToSnapshot(CreateRoomRecord(name, type, creator, memberUsernames, false, false, null, null));
        }
    }

    internal IEnumerable<RoomRecord> RoomRecords => _rooms;

    internal RoomRecord? FindRoom(string idOrName) =>
        FindRoomById(idOrName) ?? FindRoomByName(idOrName);

    internal RoomRecord? FindRoomById(string id) =>
        _rooms.Find(r => !r.Deleted && r.Id == id);

    internal RoomRecord? FindRoomByName(string name) =>
        _rooms.Find(r => !r.Deleted && string.Equals(r.Name, name, StringComparison.Ordinal));

    internal RoomRecord CreateRoomRecord(
        string name,
        string type,
        UserRecord creator,
        IEnumerable<string> memberUsernames,
        bool excludeSelf,
        bool readOnly,
        JsonObject? customFields,
        string? topic,
        bool broadcast = false)
    {
        var now = Now();
        var room = new RoomRecord
        {
            Id = NewId(),
            Name = name,
            Type = type,
            CreatorId = creator.Id,
            CreatorUsername = creator.Username,
            CreatedAt = now,
            UpdatedAt = now,
            ReadOnly = readOnly,
            Broadcast = broadcast,
            CustomFields = customFields,
            Topic = string.IsNullOrEmpty(topic) ? null : topic,
        };
        if (!excludeSelf)
        {
            room.MemberIds.Add(creator.Id);
            room.OwnerIds.Add(creator.Id);
        }

        foreach (var username in memberUsernames)
        {
            if (UserByUsername(username) is { } member && !room.IsMember(member.Id))
            {
                room.MemberIds.Add(member.Id);
            }
        }

        _rooms.Add(room);
        return room;
    }

    /// <summary>Deletes a room with its messages and uploads (eraseRoom).</summary>
    internal void EraseRoom(RoomRecord room)
    {
        room.Deleted = true;
        room.UpdatedAt = Now();
        foreach (var message in room.Timeline.Items)
        {
            _messages.Remove(message.Id);
        }

        room.Timeline.Clear();
        foreach (var upload in _uploads.Values.Where(u => u.Rid == room.Id).ToArray())
        {
            _uploads.Remove(upload.Id);
        }
    }

    private RoomSnapshot ToSnapshot(RoomRecord room) => new()
    {
        Id = room.Id,
        Name = room.Name,
        Type = room.Type,
        Topic = room.Topic,
        Description = room.Description,
        Archived = room.Archived,
        Deleted = room.Deleted,
        ReadOnly = room.ReadOnly,
        CreatorId = room.CreatorId,
        Members = room.MemberIds.Select(id => UserById(id)?.Username ?? id).ToArray(),
        MemberIds = room.MemberIds.ToArray(),
        OwnerIds = room.OwnerIds.ToArray(),
        CreatedAt = room.CreatedAt,
        MessageCount = room.Timeline.Count,
        CustomFieldsJson = room.CustomFields?.ToJsonString(),
    };
}
