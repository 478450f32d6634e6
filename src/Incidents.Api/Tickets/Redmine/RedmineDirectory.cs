using System.Collections.Concurrent;

namespace Incidents.Tickets.Redmine;

/// <summary>
/// What the service has learned about one Redmine instance and keeps for the life of the process: the integration
/// user's id (its journals are our own) and the issue statuses (which ones are closed). Read from the REST API by the
/// poller and by the write-back, never during a webhook request.
/// </summary>
internal sealed class RedmineDirectory
{
    private volatile IReadOnlyDictionary<int, RedmineStatus> _statuses = new Dictionary<int, RedmineStatus>();
    private long _userId;

    /// <summary>The integration user's id; null until it was read.</summary>
    public long? UserId => Interlocked.Read(ref _userId) is var id and > 0 ? id : null;

    /// <summary>The statuses by id; empty until they were read.</summary>
    public IReadOnlyDictionary<int, RedmineStatus> Statuses => _statuses;

    public async Task<long> UserIdAsync(RedmineClient client, CancellationToken ct)
    {
        if (UserId is { } known)
        {
            return known;
        }
        var id = await client.CurrentUserIdAsync(ct);
        Interlocked.Exchange(ref _userId, id);
        return id;
    }

    /// <summary>Reads the statuses again (an administrator may add one or change which are closed) and the user once.</summary>
    public async Task RefreshAsync(RedmineClient client, CancellationToken ct)
    {
        await UserIdAsync(client, ct);
        _statuses = await client.StatusesAsync(ct);
    }
}

/// <summary>The <see cref="RedmineDirectory"/> of every configured Redmine instance, by source name.</summary>
internal sealed class RedmineDirectories
{
    private readonly ConcurrentDictionary<string, RedmineDirectory> _bySource = new(StringComparer.OrdinalIgnoreCase);

    public RedmineDirectory For(string source) => _bySource.GetOrAdd(source, _ => new RedmineDirectory());
}
