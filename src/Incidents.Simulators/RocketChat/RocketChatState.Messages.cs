using System.Text.RegularExpressions;
using Incidents.Simulators.RocketChat;

namespace Incidents.Simulators;

public sealed partial class RocketChatState
{
    private readonly Dictionary<string, MessageRecord> _messages = new(StringComparer.Ordinal);

    /// <summary>Messages of a room (hidden ones included) in chronological order.</summary>
    public IReadOnlyList<MessageSnapshot> MessagesOf(string roomId)
    {
        lock (Gate)
        {
            var room = _rooms.Find(r => r.Id == roomId);
            return room is null ? [] : room.Timeline.Items.Select(ToSnapshot).ToArray();
        }
    }

    /// <summary>A stored message by id, else null.</summary>
    public MessageSnapshot? Message(string messageId)
    {
        lock (Gate)
        {
            return _messages.TryGetValue(messageId, out var message) ? ToSnapshot(message) : null;
        }
    }

    /// <summary>Convenience overload of <see cref="SeedMessage(MessageSeed)"/>.</summary>
    public MessageSnapshot SeedMessage(string roomId, string text, DateTimeOffset? ts = null, string? tmid = null, string? userId = null) =>
        SeedMessage(new MessageSeed { RoomId = roomId, Text = text, Ts = ts, Tmid = tmid, UserId = userId });

    /// <summary>Inserts a message without HTTP; thread, mention and file bookkeeping is the same as over the API.</summary>
    public MessageSnapshot SeedMessage(MessageSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (Gate)
        {
            var room = FindRoomById(seed.RoomId) ?? throw new ArgumentException($"Unknown room '{seed.RoomId}'.", nameof(seed));
            var author = UserById(seed.UserId ?? _options.BotUserId) ?? throw new ArgumentException("Unknown user.", nameof(seed));
            if (seed.Tmid is not null && !_messages.ContainsKey(seed.Tmid))
            {
                throw new ArgumentException($"Unknown thread root '{seed.Tmid}'.", nameof(seed));
            }

            var message = NewMessage(
                room,
                author,
                seed.Text,
                seed.Id,
                seed.Ts is { } ts ? Hosting.IsoTime.TruncateToMillis(ts) : null,
                seed.Hidden);
            message.T = seed.Type;
            message.Tmid = seed.Tmid;
            message.Tshow = seed.Tshow;
            if (seed.File is { } file)
            {
                var upload = AddUpload(room, author, file.Name, file.ContentType, file.Content);
                AttachUpload(message, upload);
            }

            Store(room, message);
            return ToSnapshot(message);
        }
    }

    internal MessageRecord? FindMessage(string id) => _messages.GetValueOrDefault(id);

    internal bool MessageExists(string id) => _messages.ContainsKey(id);

    internal MessageRecord NewMessage(RoomRecord room, UserRecord author, string text, string? id = null, DateTimeOffset? ts = null, bool hidden = false)
    {
        var now = Now();
        var message = new MessageRecord
        {
            Id = id ?? NewId(),
            Rid = room.Id,
            Seq = NextSequence(),
            Ts = ts ?? now,
            UpdatedAt = ts ?? now,
            User = new UserRef(author.Id, author.Username, author.Name),
            Msg = text,
            Hidden = hidden,
        };
        SetText(message, text);
        return message;
    }

    internal void SetText(MessageRecord message, string text)
    {
        message.Msg = text;
        message.Mentions = [];
        foreach (Match match in MentionPattern().Matches(text))
        {
            var username = match.Groups[1].Value.TrimEnd('.');
            if (username is "all" or "here")
            {
                message.Mentions.Add(new UserRef(username, username, null));
            }
            else if (UserByUsername(username) is { } user && message.Mentions.TrueForAll(m => m.Id != user.Id))
            {
                message.Mentions.Add(new UserRef(user.Id, user.Username, user.Name));
            }
        }

        message.Urls = UrlPattern().Matches(text).Select(m => m.Value).Distinct().ToList();
    }

    /// <summary>Stores a message: flattens <c>tmid</c> to the root and updates the root's thread fields.</summary>
    internal void Store(RoomRecord room, MessageRecord message)
    {
        if (message.Tmid is { } tmid && _messages.TryGetValue(tmid, out var parent))
        {
            var root = parent.Tmid is { } rootId && _messages.TryGetValue(rootId, out var r) ? r : parent;
            message.Tmid = root.Id;
            message.Rid = root.Rid;
            room = FindRoomById(root.Rid) ?? room;
            root.Tcount = (root.Tcount ?? 0) + 1;
            root.Tlm = message.Ts;
            root.Replies ??= [root.User.Id];
            if (!root.Replies.Contains(message.User.Id))
            {
                root.Replies.Add(message.User.Id);
            }

            root.UpdatedAt = message.Ts;
        }

        _messages[message.Id] = message;
        room.Timeline.Insert(message);
        if (!message.Hidden)
        {
            room.Msgs++;
            if (room.LastMessage is null || room.LastMessage.Ts <= message.Ts)
            {
                room.LastMessage = message;
            }
        }
    }

    internal MessageRecord SystemMessage(RoomRecord room, string type, string text, UserRecord actor)
    {
        var message = NewMessage(room, actor, text);
        message.T = type;
        message.Mentions = [];
        message.Urls = [];
        message.Groupable = false;
        Store(room, message);
        return message;
    }

    /// <summary>
    /// deleteMessage: thread roots (or all messages with ShowDeletedStatus) stay as <c>t:"rm"</c>, stamped with
    /// <c>editedAt</c>/<c>editedBy</c> of the deletion (Messages.setAsDeletedByIdAndUser).
    /// </summary>
    internal void DeleteMessage(MessageRecord message, UserRef? deletedBy = null)
    {
        var room = FindRoomById(message.Rid);
        foreach (var upload in message.Files)
        {
            _uploads.Remove(upload.Id);
        }

        if (message.Tmid is { } tmid && _messages.TryGetValue(tmid, out var root) && root.Tcount > 0)
        {
            root.Tcount--;
        }

        if (_options.ShowDeletedStatus || message.Tcount is not null)
        {
            message.T = "rm";
            message.Msg = "";
            message.Mentions = [];
            message.Urls = [];
            message.Attachments = null;
            message.Files.Clear();
            message.UpdatedAt = Now();
            message.EditedAt = message.UpdatedAt;
            message.EditedBy = deletedBy ?? message.EditedBy;
            return;
        }

        _messages.Remove(message.Id);
        room?.Timeline.Remove(message);
        if (room is not null && !message.Hidden)
        {
            room.Msgs--;
            if (ReferenceEquals(room.LastMessage, message))
            {
                room.LastMessage = room.Timeline.Items.LastOrDefault(m => !m.Hidden);
            }
        }
    }

    private MessageSnapshot ToSnapshot(MessageRecord message) => new()
    {
        Id = message.Id,
        RoomId = message.Rid,
        Text = message.Msg,
        Ts = message.Ts,
        UpdatedAt = message.UpdatedAt,
        UserId = message.User.Id,
        Username = message.User.Username,
        Type = message.T,
        Tmid = message.Tmid,
        Tshow = message.Tshow,
        Tcount = message.Tcount,
        Tlm = message.Tlm,
        Replies = message.Replies?.ToArray() ?? [],
        EditedAt = message.EditedAt,
        EditedBy = message.EditedBy?.Username,
        Reactions = message.Reactions?.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToArray(), StringComparer.Ordinal)
            ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal),
        Pinned = message.Pinned,
        Hidden = message.Hidden,
        FileIds = message.Files.Select(f => f.Id).ToArray(),
        Alias = message.Alias,
        Json = RcJson.Message(message).ToJsonString(),
    };

    [GeneratedRegex(@"(?<![\w@])@([\w.\-]+)")]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex UrlPattern();
}
