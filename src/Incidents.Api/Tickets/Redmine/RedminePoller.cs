using Incidents.Data;
using Incidents.Lifecycle;
using Incidents.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Tickets.Redmine;

/// <summary>What one poll of one instance did.</summary>
/// <param name="Leased">False when another service instance held the poll lease (nothing was read).</param>
/// <param name="Issues">Changed issues read.</param>
/// <param name="Accepted">Events stored (new deliveries).</param>
/// <param name="Duplicates">Events found again (already stored by an earlier poll, a webhook or another instance).</param>
/// <param name="Ignored">Events about issues that are not incidents (e.g. an edit of an issue closed before we knew it).</param>
/// <param name="Error">Why the poll stopped early, if it did; the cursor stays where the last complete page left it.</param>
internal sealed record RedminePoll(string Source, bool Leased, int Issues, int Accepted, int Duplicates, int Ignored = 0, string? Error = null);

/// <summary>
/// Polls the REST API of a Redmine instance (Redmine has no webhooks of its own): reads the issues updated since the
/// saved cursor minus an overlap, oldest change first, reads each one with its journals, turns what happened since
/// then into ticket events (<see cref="RedmineEvents"/>) and stores them through the same command as webhooks. Delivery
/// ids are derived from issue and journal ids, so an event read twice — in the overlap, after a restart, by a second
/// service instance — is stored once. The cursor (per instance, in the database) moves only past issues that were fully
/// handled; a lease on the cursor row lets one service instance poll at a time.
/// </summary>
internal sealed class RedminePoller(IServiceScopeFactory scopes, TimeProvider time, ILogger<RedminePoller> log)
{
    /// <summary>How long a poll holds its lease; renewed after every page, so it only bounds how long a crashed instance blocks polling.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Bounds one poll (100 issues a page); the next poll continues from the cursor.</summary>
    private const int MaxPages = 50;

    private readonly string _owner = Owner();

    /// <summary>Polls every configured Redmine instance once, one after the other (tests drive polling through this).</summary>
    public async Task<IReadOnlyList<RedminePoll>> RunAllOnceAsync(CancellationToken ct)
    {
        var results = new List<RedminePoll>();
        foreach (var source in Sources())
        {
            results.Add(await RunOnceAsync(source, ct));
        }
        return results;
    }

    /// <summary>The configured Redmine instances, by source name.</summary>
    public IReadOnlyList<string> Sources()
    {
        using var scope = scopes.CreateScope();
        return [.. scope.ServiceProvider.GetRequiredService<TicketSystems>().Instances.Where(i => i.System == RedmineSetup.System).Select(i => i.Source).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads the integration user and the statuses again (for an instance that is not polled but receives webhooks).</summary>
    public async Task RefreshAsync(string source, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var system = Instance(scope.ServiceProvider, source);
        await system.Directory.RefreshAsync(system.Client, ct);
    }

    public async Task<RedminePoll> RunOnceAsync(string source, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var system = Instance(scope.ServiceProvider, source);
        var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
        var row = await LeaseAsync(db, source, ct);
        if (row is null)
        {
            RedmineLog.PollSkipped(log, source);
            return new RedminePoll(source, false, 0, 0, 0);
        }
        var (issues, accepted, duplicates, ignored) = (0, 0, 0, 0);
        try
        {
            await system.Directory.RefreshAsync(system.Client, ct);
            var events = system.Events;
            var options = system.Options;
            var cursor = row.Cursor ?? time.GetUtcNow() - options.InitialLookback;
            var since = cursor - options.PollOverlap;
            var (from, offset) = (since, 0);
            for (var page = 0; page < MaxPages; page++)
            {
                var (changed, _) = await system.Client.UpdatedSinceAsync(from, options.Project, offset, ct);
                foreach (var listed in changed)
                {
                    var issue = await system.Client.IssueAsync(listed.Id, "journals", ct);
                    var (a, d, i) = await StoreAsync(source, [.. events.Since(issue, since, "poll")], ct);
                    (issues, accepted, duplicates, ignored) = (issues + 1, accepted + a, duplicates + d, ignored + i);
                    // The listed time, not the one read now: a change made after the listing is still ahead of the cursor.
                    cursor = Max(cursor, listed.UpdatedOn);
                }
                if (!await SaveCursorAsync(db, source, cursor, ct))
                {
                    return new RedminePoll(source, true, issues, accepted, duplicates, ignored, "the poll lease was lost to another instance");
                }
                if (changed.Count < RedmineClient.PageSize)
                {
                    break;
                }
                // Keyset paging on the update time (issues updated meanwhile move to the end instead of shifting pages);
                // by offset only while a whole page shares one second.
                var last = Seconds(changed[^1].UpdatedOn);
                (from, offset) = last > Seconds(from) ? (last, 0) : (from, offset + RedmineClient.PageSize);
            }
            RedmineLog.Polled(log, source, issues, accepted, duplicates, cursor);
            return new RedminePoll(source, true, issues, accepted, duplicates, ignored);
        }
        catch (Exception e) when (e is ExternalCallException or HttpRequestException or global::System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            RedmineLog.PollFailed(log, source, e.Message);
            return new RedminePoll(source, true, issues, accepted, duplicates, ignored, e.Message);
        }
        finally
        {
            await ReleaseAsync(db, source, CancellationToken.None);
        }
    }

    private static RedmineTicketSystem Instance(IServiceProvider services, string source) =>
        services.GetRequiredService<TicketSystems>().Get(source) as RedmineTicketSystem
            ?? throw new InvalidOperationException($"'{source}' is not a Redmine instance");

    /// <summary>Stores the events of one issue that are not stored yet, oldest first, each in its own scope like a webhook.</summary>
    private async Task<(int Accepted, int Duplicates, int Ignored)> StoreAsync(string source, IReadOnlyList<RedmineDelivery> deliveries, CancellationToken ct)
    {
        if (deliveries.Count == 0)
        {
            return (0, 0, 0);
        }
        await using var scope = scopes.CreateAsyncScope();
        var ids = deliveries.Select(d => d.DeliveryId).ToList();
        var stored = await scope.ServiceProvider.GetRequiredService<IncidentsDbContext>().Deliveries.AsNoTracking()
            .Where(d => d.Source == source && ids.Contains(d.DeliveryId)).Select(d => d.DeliveryId).ToListAsync(ct);
        var (accepted, duplicates, ignored) = (0, stored.Count, 0);
        foreach (var delivery in deliveries.Where(d => !stored.Contains(d.DeliveryId)))
        {
            await using var inner = scopes.CreateAsyncScope();
            var outcome = await inner.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new ReceiveTicketEvent(source, delivery.DeliveryId, delivery.EventName, delivery.Event), ct);
            RedmineLog.EventStored(log, source, delivery.EventName, delivery.DeliveryId, outcome.ToString());
            switch (outcome)
            {
                case ReceiveOutcome.Accepted:
                    accepted++;
                    break;
                case ReceiveOutcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    ignored++;
                    break;
            }
        }
        return (accepted, duplicates, ignored);
    }

    /// <summary>Takes the instance's poll lease when it is free, expired or already ours; null when another instance holds it.</summary>
    private async Task<PollCursor?> LeaseAsync(IncidentsDbContext db, string source, CancellationToken ct)
    {
        if (!await db.PollCursors.AnyAsync(c => c.Source == source, ct))
        {
            db.PollCursors.Add(new PollCursor { Source = source });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance created the row at the same moment.
            }
            db.ChangeTracker.Clear();
        }
        var now = time.GetUtcNow();
        var until = now + Lease;
        var claimed = await db.PollCursors
            .Where(c => c.Source == source && (c.LeaseUntil == null || c.LeaseUntil < now || c.LeaseOwner == _owner))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, _owner).SetProperty(c => c.LeaseUntil, until), ct);
        return claimed == 1 ? await db.PollCursors.AsNoTracking().SingleAsync(c => c.Source == source, ct) : null;
    }

    /// <summary>Moves the cursor and renews the lease; false when the lease is no longer ours.</summary>
    private async Task<bool> SaveCursorAsync(IncidentsDbContext db, string source, DateTimeOffset cursor, CancellationToken ct)
    {
        var until = time.GetUtcNow() + Lease;
        return await db.PollCursors.Where(c => c.Source == source && c.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Cursor, cursor).SetProperty(c => c.LeaseUntil, until), ct) == 1;
    }

    private async Task ReleaseAsync(IncidentsDbContext db, string source, CancellationToken ct)
    {
        try
        {
            var now = time.GetUtcNow();
            await db.PollCursors.Where(c => c.Source == source && c.LeaseOwner == _owner)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, (string?)null).SetProperty(c => c.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(c => c.PolledAt, now), ct);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or global::System.Data.Common.DbException)
        {
            RedmineLog.PollFailed(log, source, "the poll lease could not be released; it expires: " + e.Message);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string Owner()
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return owner.Length > 128 ? owner[^128..] : owner;
    }
}
