using Incidents.Simulators.RocketChat;

namespace Incidents.Simulators;

public sealed partial class RocketChatState
{
    private readonly Dictionary<string, UserRecord> _usersById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserRecord> _usersByName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>All users in creation order.</summary>
    public IReadOnlyList<SimUser> Users
    {
        get
        {
            lock (Gate)
            {
                return _usersById.Values.Select(u => u.ToSnapshot()).ToArray();
            }
        }
    }

    /// <summary>Creates a user (roles default to "user"); its password for <c>login</c> is "password".</summary>
    public SimUser AddUser(string username, string name, params string[] roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        lock (Gate)
        {
            if (_usersByName.ContainsKey(username))
            {
                throw new InvalidOperationException($"User '{username}' exists.");
            }

            var id = NewId();
            return AddUserRecord(id, username, name, $"pat-{NewId()}{NewId()}", roles.Length == 0 ? ["user"] : [.. roles]).ToSnapshot();
        }
    }

    internal UserRecord? Authenticate(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token))
        {
            return null;
        }

        return _usersById.TryGetValue(userId, out var user) && user.Tokens.Contains(token) ? user : null;
    }

    internal IEnumerable<UserRecord> UserRecords => _usersById.Values;

    internal UserRecord? UserById(string id) => _usersById.GetValueOrDefault(id);

    internal UserRecord? UserByUsername(string username) => _usersByName.GetValueOrDefault(username);

    internal string IssueToken(UserRecord user)
    {
        var token = $"{NewId()}{NewId()}";
        user.Tokens.Add(token);
        return token;
    }

    private UserRecord AddUserRecord(string id, string username, string name, string token, List<string> roles)
    {
        var user = new UserRecord
        {
            Id = id,
            Username = username,
            Name = name,
            Roles = roles,
            PrimaryToken = token,
            CreatedAt = Now(),
        };
        user.Tokens.Add(token);
        _usersById[id] = user;
        _usersByName[username] = user;
        return user;
    }
}
