using Incidents.Data;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Tickets;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Incidents.Webhooks;

/// <summary>
/// Stores a verified ticket event: the delivery, the incident's new state and the side effects it needs,
/// in one transaction. No other system is called here.
/// </summary>
internal sealed record ReceiveTicketEvent(string Source, string DeliveryId, string EventName, TicketEvent Event) : ICommand<ReceiveOutcome>;

internal enum ReceiveOutcome
{
    Accepted,
    Duplicate,
    Ignored,
}

internal sealed class ReceiveTicketEventHandler(IncidentsDbContext db, DatabaseSetup database, TicketSystems tickets, TimeProvider time, OutboxSignal signal)
    : ICommandHandler<ReceiveTicketEvent, ReceiveOutcome>
{
    private const int MaxConflictRetries = 8;

    public async ValueTask<ReceiveOutcome> Handle(ReceiveTicketEvent command, CancellationToken ct)
    {
        // Two deliveries for one ticket at once: the loser of the unique index or of the row version
        // starts over on the winner's state.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryHandle(command, ct);
            }
            catch (DbUpdateException e) when (IsUnique(e, "deliveries"))
            {
                return ReceiveOutcome.Duplicate;
            }
            catch (DbUpdateException e) when (attempt < MaxConflictRetries && (e is DbUpdateConcurrencyException || IsUnique(e, null)))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<ReceiveOutcome> TryHandle(ReceiveTicketEvent command, CancellationToken ct)
    {
        // No look-up of the delivery id first: the unique index answers a redelivery (rare) in the same
        // round trip that stores a new one (the common case).
        var evt = command.Event;
        var now = time.GetUtcNow();
        var incident = await db.Incidents.Include(i => i.Channels)
            .SingleOrDefaultAsync(i => i.Source == command.Source && i.TicketKey == evt.Ticket.Key, ct);
        var onlyInserts = incident is null;
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
        db.Deliveries.Add(new Delivery
        {
            Source = command.Source,
            DeliveryId = command.DeliveryId,
            Event = command.EventName,
            IncidentId = incident.Id,
            ReceivedAt = now,
        });
        foreach (var action in actions)
        {
            db.Outbox.Add(new OutboxMessage
            {
                IncidentId = incident.Id,
                ChannelId = action.ChannelId,
                Kind = action.Kind,
                Text = action.Text,
                CreatedAt = now,
                DueAt = now,
                TraceParent = System.Diagnostics.Activity.Current?.Id,
            });
        }
        db.Timeline.Add(new TimelineEntry
        {
            IncidentId = incident.Id,
            At = now,
            Kind = "webhook",
            Summary = Truncate($"{command.Source} {command.EventName} (delivery {command.DeliveryId}) → " +
                (actions.Count == 0 ? "nothing to do" : string.Join(", ", actions.Select(a => a.Kind)))),
        });
        // A new ticket's rows are all INSERTs: on PostgreSQL they go out as one batch, which the server runs as one
        // implicit transaction (a failing INSERT, e.g. a duplicate delivery, undoes them all), so no BEGIN/COMMIT
        // round trips are needed. An update of an existing incident keeps the explicit transaction, because its
        // row-version check is made by the client after the statement ran.
        db.Database.AutoTransactionBehavior = onlyInserts && !database.IsSqlite ? AutoTransactionBehavior.Never : AutoTransactionBehavior.WhenNeeded;
        await db.SaveChangesAsync(ct);
        if (actions.Count > 0)
        {
            signal.Notify();
        }
        return ReceiveOutcome.Accepted;
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
