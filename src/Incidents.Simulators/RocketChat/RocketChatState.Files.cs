using System.Text.Json.Nodes;
using Incidents.Simulators.RocketChat;

namespace Incidents.Simulators;

public sealed partial class RocketChatState
{
    private readonly Dictionary<string, UploadRecord> _uploads = new(StringComparer.Ordinal);

    /// <summary>Uploads of a room (confirmed and pending) that still exist.</summary>
    public IReadOnlyList<FileSnapshot> FilesOf(string roomId)
    {
        lock (Gate)
        {
            return _uploads.Values.Where(u => u.Rid == roomId).Select(u => u.ToSnapshot()).ToArray();
        }
    }

    internal UploadRecord? FindUpload(string id) => _uploads.GetValueOrDefault(id);

    internal IEnumerable<UploadRecord> UploadsOf(RoomRecord room) =>
        _uploads.Values.Where(u => u.Rid == room.Id && u.Confirmed);

    internal UploadRecord AddUpload(RoomRecord room, UserRecord user, string name, string contentType, byte[] content, DateTimeOffset? expiresAt = null)
    {
        var upload = new UploadRecord
        {
            Id = NewHexId(),
            Rid = room.Id,
            User = new UserRef(user.Id, user.Username, user.Name),
            Name = name,
            ContentType = contentType,
            Content = content,
            UploadedAt = Now(),
            ExpiresAt = expiresAt,
            Confirmed = expiresAt is null,
        };
        _uploads[upload.Id] = upload;
        return upload;
    }

    /// <summary>Adds <c>file</c>, <c>files[]</c> and the file attachment to a message.</summary>
    internal static void AttachUpload(MessageRecord message, UploadRecord upload)
    {
        upload.Confirmed = true;
        upload.ExpiresAt = null;
        message.Files.Add(upload);
        var attachment = new JsonObject
        {
            ["ts"] = Hosting.IsoTime.Millis(message.Ts),
            ["title"] = upload.Name,
            ["title_link"] = upload.Url,
            ["title_link_download"] = true,
            ["type"] = "file",
        };
        if (!string.IsNullOrEmpty(upload.Description))
        {
            attachment["description"] = upload.Description;
        }

        if (upload.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            attachment["image_url"] = upload.Url;
            attachment["image_type"] = upload.ContentType;
            attachment["image_size"] = upload.Content.LongLength;
        }

        message.Attachments ??= [];
        message.Attachments.Add(attachment);
    }
}
