using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat.Endpoints;

/// <summary>rooms.media + rooms.mediaConfirm, legacy rooms.upload, channels/groups .files.</summary>
internal static class FileEndpoints
{
    private static readonly TimeSpan UploadExpiry = TimeSpan.FromHours(24);

    public static IEnumerable<RcEndpoint> All()
    {
        yield return new RcEndpoint("rooms.media", "POST", Media) { PathArgs = 1, Multipart = true };
        yield return new RcEndpoint("rooms.mediaConfirm", "POST", Confirm)
        {
            PathArgs = 2,
            Params = RcEndpoint.Keys("msg", "description", "tmid", "alias", "avatar", "emoji", "groupable", "customFields", "fileName", "fileContent", "t", "e2e", "content"),
        };
        yield return new RcEndpoint("rooms.upload", "POST", Upload) { PathArgs = 1, Multipart = true, MaxVersion = 7 };
        yield return new RcEndpoint("channels.files", "GET", call => Files(call, "c")) { Params = RcEndpoint.Keys("roomId", "roomName", "count", "offset", "sort") };
        yield return new RcEndpoint("groups.files", "GET", call => Files(call, "p")) { Params = RcEndpoint.Keys("roomId", "roomName", "count", "offset", "sort") };
    }

    private static JsonObject Media(RcCall call)
    {
        var (room, file, content) = ReadUpload(call);
        var upload = call.State.AddUpload(room, call.Caller, file.FileName, ContentType(file), content, call.Now + UploadExpiry);
        return new JsonObject { ["file"] = new JsonObject { ["_id"] = upload.Id, ["url"] = upload.Url } };
    }

    private static JsonObject Confirm(RcCall call)
    {
        var rid = call.PathArgs[0];
        var upload = call.State.FindUpload(call.PathArgs[1]);
        var valid = upload is not null
            && upload.Rid == rid
            && upload.User.Id == call.Caller.Id
            && !upload.Confirmed
            && upload.ExpiresAt is { } expiresAt
            && call.Now <= expiresAt;
        if (!valid)
        {
            throw RcErrors.Meteor("invalid-file", null);
        }

        var room = call.State.FindRoomById(rid) ?? throw RcErrors.Meteor("invalid-file", null);
        MessageRules.EnsureCanSend(call, room);
        var tmid = call.BodyString("tmid");
        MessageRules.EnsureThreadRoot(call, tmid);
        upload!.Description = call.BodyString("description");
        return new JsonObject { ["message"] = RcJson.Message(PostFile(call, room, upload, call.BodyString("msg") ?? "", tmid)) };
    }

    private static JsonObject Upload(RcCall call)
    {
        var (room, file, content) = ReadUpload(call);
        MessageRules.EnsureCanSend(call, room);
        var tmid = Field(call, "tmid");
        MessageRules.EnsureThreadRoot(call, tmid);
        var upload = call.State.AddUpload(room, call.Caller, file.FileName, ContentType(file), content);
        upload.Description = Field(call, "description");
        return new JsonObject { ["message"] = RcJson.Message(PostFile(call, room, upload, Field(call, "msg") ?? "", tmid)) };
    }

    private static MessageRecord PostFile(RcCall call, RoomRecord room, UploadRecord upload, string text, string? tmid)
    {
        var message = call.State.NewMessage(room, call.Caller, text);
        message.Tmid = tmid;
        message.Groupable = false;
        RocketChatState.AttachUpload(message, upload);
        call.State.Store(room, message);
        return message;
    }

    private static (RoomRecord Room, IFormFile File, byte[] Content) ReadUpload(RcCall call)
    {
        var room = call.State.FindRoomById(call.PathArgs[0]);
        if (room is null || !RoomLookup.CanAccess(call.Caller, room))
        {
            throw RcErrors.Forbidden(call.Version);
        }

        var file = call.Form?.Files.GetFile("file") ?? throw RcErrors.Meteor("error-no-file-uploaded", "No file uploaded");
        if (file.Length > call.State.Options.MaxFileSize)
        {
            throw RcErrors.Meteor("error-file-too-large", $"File size exceeds allowed size of {call.State.Options.MaxFileSize} bytes");
        }

        using var stream = file.OpenReadStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return (room, file, buffer.ToArray());
    }

    private static string? Field(RcCall call, string name) =>
        call.Form is not null && call.Form.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private static string ContentType(IFormFile file) =>
        string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType;

    private static JsonObject Files(RcCall call, string type)
    {
        var room = HistoryEndpoints.Readable(call, type);
        var (count, offset) = Paging.Standard(call);
        var files = call.State.UploadsOf(room).OrderByDescending(u => u.UploadedAt).ToList();
        var page = files.Skip(offset).Take(count).Select(RcJson.Upload).ToList();
        return new JsonObject
        {
            ["files"] = Paging.Array(page),
            ["count"] = page.Count,
            ["offset"] = offset,
            ["total"] = files.Count,
        };
    }
}
