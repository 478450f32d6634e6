using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.RocketChat;

/// <summary>REST JSON shapes of Rocket.Chat objects (dates always ISO-8601 with ms, never <c>$date</c>).</summary>
internal static class RcJson
{
    public static JsonObject Message(MessageRecord m)
    {
        var json = new JsonObject
        {
            ["_id"] = m.Id,
            ["rid"] = m.Rid,
            ["msg"] = m.Msg,
            ["ts"] = IsoTime.Millis(m.Ts),
            ["u"] = UserRef(m.User),
            ["_updatedAt"] = IsoTime.Millis(m.UpdatedAt),
        };
        if (m.T is not null)
        {
            json["t"] = m.T;
        }
        else if (m.Msg.Length > 0)
        {
            json["md"] = new JsonArray(new JsonObject
            {
                ["type"] = "PARAGRAPH",
                ["value"] = new JsonArray(new JsonObject { ["type"] = "PLAIN_TEXT", ["value"] = m.Msg }),
            });
        }

        if (m.T is null || m.T != "rm")
        {
            json["mentions"] = new JsonArray(m.Mentions.Select(u => (JsonNode)MentionRef(u)).ToArray());
            json["channels"] = new JsonArray();
        }

        if (m.Urls.Count > 0)
        {
            json["urls"] = new JsonArray(m.Urls.Select(u => (JsonNode)new JsonObject { ["url"] = u, ["meta"] = new JsonObject() }).ToArray());
        }

        if (m.Tmid is not null) { json["tmid"] = m.Tmid; }
        if (m.Tshow is { } tshow) { json["tshow"] = tshow; }
        if (m.Tcount is { } tcount) { json["tcount"] = tcount; }
        if (m.Tlm is { } tlm) { json["tlm"] = IsoTime.Millis(tlm); }
        if (m.Replies is { } replies) { json["replies"] = new JsonArray(replies.Select(r => (JsonNode)r).ToArray()); }
        if (m.EditedAt is { } editedAt)
        {
            json["editedAt"] = IsoTime.Millis(editedAt);
            json["editedBy"] = new JsonObject { ["_id"] = m.EditedBy!.Id, ["username"] = m.EditedBy.Username };
        }

        if (m.Reactions is { Count: > 0 } reactions)
        {
            var map = new JsonObject();
            foreach (var (emoji, usernames) in reactions)
            {
                map[emoji] = new JsonObject { ["usernames"] = new JsonArray(usernames.Select(u => (JsonNode)u).ToArray()) };
            }

            json["reactions"] = map;
        }

        if (m.Pinned)
        {
            json["pinned"] = true;
            json["pinnedAt"] = m.PinnedAt is { } pinnedAt ? IsoTime.Millis(pinnedAt) : null;
            json["pinnedBy"] = m.PinnedBy is { } by ? new JsonObject { ["_id"] = by.Id, ["username"] = by.Username } : null;
        }

        if (m.Files.Count > 0)
        {
            json["file"] = FileRef(m.Files[0]);
            json["files"] = new JsonArray(m.Files.Select(f => (JsonNode)FileRef(f)).ToArray());
        }

        if (m.Attachments is not null) { json["attachments"] = m.Attachments.DeepClone(); }
        if (m.Alias is not null) { json["alias"] = m.Alias; }
        if (m.Emoji is not null) { json["emoji"] = m.Emoji; }
        if (m.Avatar is not null) { json["avatar"] = m.Avatar; }
        if (m.ParseUrls is { } parseUrls) { json["parseUrls"] = parseUrls; }
        if (m.Groupable is { } groupable) { json["groupable"] = groupable; }
        if (m.CustomFields is not null) { json["customFields"] = m.CustomFields.DeepClone(); }
        if (m.Blocks is not null) { json["blocks"] = m.Blocks.DeepClone(); }
        return json;
    }

    public static JsonObject Room(RoomRecord room, bool withLastMessage = true)
    {
        var json = new JsonObject
        {
            ["_id"] = room.Id,
            ["name"] = room.Name,
            ["fname"] = room.Name,
            ["t"] = room.Type,
            ["msgs"] = room.Msgs,
            ["usersCount"] = room.MemberIds.Count,
            ["u"] = new JsonObject { ["_id"] = room.CreatorId, ["username"] = room.CreatorUsername },
            ["customFields"] = room.CustomFields?.DeepClone() ?? new JsonObject(),
            ["ts"] = IsoTime.Millis(room.CreatedAt),
            ["ro"] = room.ReadOnly,
            ["default"] = false,
            ["sysMes"] = true,
            ["broadcast"] = room.Broadcast,
            ["encrypted"] = room.Encrypted,
            ["_updatedAt"] = IsoTime.Millis(room.UpdatedAt),
        };
        if (room.Topic is not null) { json["topic"] = room.Topic; }
        if (room.Description is not null) { json["description"] = room.Description; }
        if (room.Announcement is not null) { json["announcement"] = room.Announcement; }
        if (room.Archived) { json["archived"] = true; }
        if (room.LastMessage is { } last)
        {
            json["lm"] = IsoTime.Millis(last.Ts);
            if (withLastMessage)
            {
                json["lastMessage"] = Message(last);
            }
        }

        return json;
    }

    public static JsonObject User(UserRecord user, bool full)
    {
        var json = new JsonObject
        {
            ["_id"] = user.Id,
            ["username"] = user.Username,
            ["name"] = user.Name,
            ["type"] = user.IsBot ? "bot" : "user",
            ["status"] = "online",
            ["active"] = true,
            ["roles"] = new JsonArray(user.Roles.Select(r => (JsonNode)r).ToArray()),
            ["createdAt"] = IsoTime.Millis(user.CreatedAt),
        };
        if (full)
        {
            json["emails"] = new JsonArray(new JsonObject { ["address"] = $"{user.Username}@example.invalid", ["verified"] = true });
            json["statusConnection"] = "online";
            json["utcOffset"] = 0;
            json["settings"] = new JsonObject { ["preferences"] = new JsonObject() };
            json["avatarUrl"] = $"/avatar/{user.Username}";
        }

        return json;
    }

    public static JsonObject Upload(UploadRecord upload) => new()
    {
        ["_id"] = upload.Id,
        ["name"] = upload.Name,
        ["size"] = upload.Content.LongLength,
        ["type"] = upload.ContentType,
        ["rid"] = upload.Rid,
        ["userId"] = upload.User.Id,
        ["store"] = "GridFS:Uploads",
        ["complete"] = true,
        ["uploading"] = false,
        ["extension"] = upload.Format,
        ["progress"] = 1,
        ["user"] = UserRef(upload.User),
        ["_updatedAt"] = IsoTime.Millis(upload.UploadedAt),
        ["uploadedAt"] = IsoTime.Millis(upload.UploadedAt),
        ["url"] = upload.Url,
        ["path"] = upload.Url,
        ["typeGroup"] = upload.ContentType.Split('/')[0],
    };

    public static JsonObject UserRef(UserRef user)
    {
        var json = new JsonObject { ["_id"] = user.Id, ["username"] = user.Username };
        if (user.Name is not null)
        {
            json["name"] = user.Name;
        }

        return json;
    }

    private static JsonObject MentionRef(UserRef user)
    {
        var json = UserRef(user);
        json["type"] = user.Id is "all" or "here" ? "all" : "user";
        return json;
    }

    private static JsonObject FileRef(UploadRecord upload) => new()
    {
        ["_id"] = upload.Id,
        ["name"] = upload.Name,
        ["type"] = upload.ContentType,
        ["size"] = upload.Content.LongLength,
        ["format"] = upload.Format,
    };
}
