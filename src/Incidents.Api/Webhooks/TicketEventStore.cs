using Incidents.Data;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Tickets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Incidents.Webhooks;

/// <summary>A ticket event waiting in the <see cref="IngestQueue"/>, with the trace of the request that brought it.</summary>
internal sealed record QueuedEvent(ReceiveTicketEvent Command, string? TraceParent)
{
    public TaskCompletionSource<ReceiveOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Writes ticket events into the database: the delivery (unique per source and delivery id), the incident's
/// new state, the outbox rows for its side effects and a timeline entry.
/// </summary>
internal sealed class TicketEventStore(IncidentsDbContext db, DatabaseSetup database, TicketSystems tickets, TimeProvider time)
{
    private const int MaxConflictRetries = 8;

    // The rows staged since the context was last cleared, in the order they were staged (outbox order is work order).
    private readonly List<Delivery> _deliveries = [];
    private readonly List<OutboxMessage> _outbox = [];
    private readonly List<TimelineEntry> _timeline = [];

    /// <summary>
    /// Several events for one transaction, first step: one look-up for all their incidents, then every event's rows
    /// added to the context in order. <see cref="SaveAsync"/> commits them.
    /// </summary>
    public async Task<ReceiveOutcome[]> StageAllAsync(IReadOnlyList<QueuedEvent> events, CancellationToken ct)
    {
        Clear();
        var now = time.GetUtcNow();
        var known = new Dictionary<(string Source, string Key), Incident>();
        foreach (var source in events.GroupBy(e => e.Command.Source))
        {
            var keys = source.Select(e => e.Command.Event.Ticket.Key).Distinct().ToList();
            // One array parameter, whatever the batch size: the SQL (and EF's compiled query) stays the same for every batch.
            var found = await db.Incidents.Include(i => i.Channels)
                .Where(i => i.Source == source.Key && EF.Parameter(keys).Contains(i.TicketKey)).ToListAsync(ct);
            foreach (var incident in found)
            {
                known[(incident.Source, incident.TicketKey)] = incident;
            }
        }
        var outcomes = new ReceiveOutcome[events.Count];
        var first = new Dictionary<(string Source, string DeliveryId), ReceiveOutcome>();
        for (var i = 0; i < events.Count; i++)
        {
            var command = events[i].Command;
            if (first.TryGetValue((command.Source, command.DeliveryId), out var earlier))
            {
                // The same delivery twice in one batch: the second is what a redelivery would be.
                outcomes[i] = earlier == ReceiveOutcome.Accepted ? ReceiveOutcome.Duplicate : earlier;
                continue;
            }
            var key = (command.Source, command.Event.Ticket.Key);
            known.TryGetValue(key, out var incident);
            outcomes[i] = Stage(events[i], ref incident, now);
            if (incident is not null)
            {
                known[key] = incident;
            }
            first[(command.Source, command.DeliveryId)] = outcomes[i];
        }
        return outcomes;
    }

    /// <summary>
    /// Commits what <see cref="StageAllAsync"/> added, in one transaction. Any refused row (a redelivery already stored,
    /// another instance writing the same ticket) throws <see cref="DbUpdateException"/> and stores nothing; the caller
    /// then stores the events one by one.
    /// </summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        if (database.IsSqlite)
        {
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
            await db.SaveChangesAsync(ct);
            return;
        }
        // PostgreSQL: the new rows go in by COPY, EF saves the rest (updated incidents and channels), one transaction.
        // Changes are detected once: with automatic detection each look-up of the tracked entries below scanned every
        // tracked entity again (four scans per batch, ~8 % of the service's CPU under load), and a detached channel must
        // not be found again through its incident.
        db.ChangeTracker.DetectChanges();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var incidents = Added<Incident>();
            var channels = Added<Channel>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await PostgresCopy.WriteAsync(db, incidents, ct);
                await PostgresCopy.WriteAsync(db, channels, ct);
                await PostgresCopy.WriteAsync(db, _deliveries, ct);
                await PostgresCopy.WriteAsync(db, _outbox, ct);
                await PostgresCopy.WriteAsync(db, _timeline, ct);
            }
            catch (PostgresException e) when (!e.IsTransient)
            {
                // A refused row (a redelivery, a value the column does not take): the caller stores the events one by one,
                // so only the event at fault gets an error. An unreachable database stays an error for all of them.
                throw new DbUpdateException("A row of the batch was refused", e);
            }
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private List<T> Added<T>() where T : class =>
        [.. db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)];

    private void Clear()
    {
        db.ChangeTracker.Clear();
        _deliveries.Clear();
        _outbox.Clear();
        _timeline.Clear();
    }

    /// <summary>One event, starting over on the winner's state when another writer stored the same ticket first.</summary>
    public async Task<ReceiveOutcome> StoreAsync(QueuedEvent queued, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStoreAsync(queued, ct);
            }
            catch (DbUpdateException e) when (IsUnique(e, "deliveries"))
            {
                return ReceiveOutcome.Duplicate;
            }
            catch (DbUpdateException e) when (attempt < MaxConflictRetries && (e is DbUpdateConcurrencyException || IsUnique(e, null)))
            {
                // The next attempt starts from a cleared context.
            }
        }
    }

    private async Task<ReceiveOutcome> TryStoreAsync(QueuedEvent queued, CancellationToken ct)
    {
        // No look-up of the delivery id first: the unique index answers a redelivery (rare) in the same
        // round trip that stores a new one (the common case).
        Clear(); // whatever an earlier event of this scope left behind
        var command = queued.Command;
        // Plain locals, not property paths, in the query: EF reads a property path by reflection (see PostMessage).
        var (source, key) = (command.Source, command.Event.Ticket.Key);
        var incident = await db.Incidents.Include(i => i.Channels).SingleOrDefaultAsync(i => i.Source == source && i.TicketKey == key, ct);
        var onlyInserts = incident is null;
        var outcome = Stage(queued, ref incident, time.GetUtcNow());
        if (outcome == ReceiveOutcome.Ignored)
        {
            return outcome;
        }
        // A new ticket's rows are all INSERTs: on PostgreSQL they go out as one batch, which the server runs as one
        // implicit transaction (a failing INSERT, e.g. a duplicate delivery, undoes them all), so no BEGIN/COMMIT
        // round trips are needed. An update of an existing incident keeps the explicit transaction, because its
        // row-version check is made by the client after the statement ran.
        db.Database.AutoTransactionBehavior = onlyInserts && !database.IsSqlite ? AutoTransactionBehavior.Never : AutoTransactionBehavior.WhenNeeded;
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    /// <summary>
    /// Adds the rows for one event to the context: creates the incident when the event opens one (and the
    /// ticket system counts the ticket as an incident), applies the event, records delivery, outbox and timeline.
    /// </summary>
    private ReceiveOutcome Stage(QueuedEvent queued, ref Incident? incident, DateTimeOffset now)
    {
        var (command, evt) = (queued.Command, queued.Command.Event);
        if (incident is null)
        {
            var opensSomething = evt.Kind is not (TicketEventKind.Updated or TicketEventKind.Commented) || evt.Ticket.IsOpen;
            if (!opensSomething || !tickets.Get(command.Source).IsIncident(evt.Ticket))
            {
                return ReceiveOutcome.Ignored;
            }
            incident = Incident.Create(command.Source, evt.Ticket, now);
            db.Incidents.Add(incident);
        }
        var actions = incident.Apply(evt, now);
        Track(db.Deliveries, _deliveries, new Delivery
        {
            Source = command.Source,
            DeliveryId = command.DeliveryId,
            Event = command.EventName,
            IncidentId = incident.Id,
            ReceivedAt = now,
        });
        foreach (var action in actions)
        {
            Track(db.Outbox, _outbox, new OutboxMessage
            {
                IncidentId = incident.Id,
                ChannelId = action.ChannelId,
                Kind = action.Kind,
                Text = action.Text,
                CreatedAt = now,
                DueAt = now,
                TraceParent = queued.TraceParent,
            });
        }
        Track(db.Timeline, _timeline, new TimelineEntry
        {
            IncidentId = incident.Id,
            At = now,
            Kind = "webhook",
            Summary = Truncate($"{command.Source} {command.EventName} (delivery {command.DeliveryId}) → " +
                (actions.Count == 0 ? "nothing to do" : string.Join(", ", actions.Select(a => a.Kind)))),
        });
        return ReceiveOutcome.Accepted;
    }

    private static void Track<T>(DbSet<T> set, List<T> staged, T row) where T : class
    {
        set.Add(row);
        staged.Add(row);
    }

    private static string Truncate(string text) => text.Length > 4000 ? text[..4000] : text;

    /// <summary>A unique index refused the row (of <paramref name="table"/>, when given), on PostgreSQL or SQLite.</summary>
    private static bool IsUnique(DbUpdateException e, string? table) => e.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => table is null || pg.TableName == table,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } lite => lite.Message.Contains("UNIQUE", StringComparison.Ordinal)
            && (table is null || lite.Message.Contains($" {table}.", StringComparison.Ordinal)),
        _ => false,
    };
}
