using System.Diagnostics;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Lifecycle;

/// <summary>
/// Runs due outbox rows. Rows are claimed with one UPDATE … FOR UPDATE SKIP LOCKED lease, so any number of
/// instances share the work; a row is claimable only when every earlier row of its incident is done, so
/// one incident's steps run in order while different incidents run in parallel.
/// </summary>
internal sealed class OutboxProcessor(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    Telemetry telemetry,
    ILogger<OutboxProcessor> log)
{
    private readonly string _owner = Owner();

    /// <summary>
    /// Keeps up to <see cref="OutboxOptions.MaxConcurrency"/> rows running, so one slow step never holds the others back. Up to
    /// <see cref="OutboxOptions.ClaimAhead"/> more rows are claimed ahead (their leases kept like those of running rows) and start
    /// the moment a slot frees; the claim that refills them runs meanwhile. A slot is free as soon as its step's work ends, while
    /// its outcome is still being recorded. Claims again whenever a slot frees, an outcome is recorded (that may have unblocked the
    /// incident's next row), a request signals new work, or the poll interval passes. Returns when nothing is due, running or being
    /// recorded, with the number of rows it ran.
    /// </summary>
    public async Task<int> RunUntilIdleAsync(CancellationToken ct, OutboxSignal? wake = null)
    {
        var max = options.Value.MaxConcurrency;
        var working = new List<Task>();   // completes when a row's step has ended: its slot is free
        var recording = new List<Task>(); // completes when the row's outcome is recorded
        var waiting = new Queue<Held>();  // claimed ahead, not started yet
        Task<List<OutboxMessage>>? claim = null;
        var asked = 0; // how many rows the claim in flight asks for
        var drained = false; // the last claim found less than it asked for: ask again only once something changes
        var changed = false; // something changed while a claim was in flight (it may not have seen it)
        var ran = 0;
        Task? woken = null;
        // A wait for the wake-up signal still pending when this returns would swallow the next signal: it is cancelled on the way out.
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested(); // stopping: rows claimed ahead are given back, not started
                while (working.Count < max && waiting.TryDequeue(out var held))
                {
                    var slot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    recording.Add(RunAsync(held, slot, ct));
                    working.Add(slot.Task);
                }
                var room = max + options.Value.ClaimAhead - working.Count - waiting.Count;
                if (claim is null && room > 0 && !drained)
                {
                    asked = Math.Min(room, options.Value.BatchSize);
                    claim = ClaimAsync(asked, ct);
                }
                if (claim is null && recording.Count == 0)
                {
                    return ran;
                }
                if (wake is not null && woken is not { IsCompleted: false })
                {
                    woken = wake.WaitAsync(options.Value.PollInterval, time, stopWaiting.Token);
                }
                Task[] events = [.. working, .. recording, .. claim is null ? Array.Empty<Task>() : [claim], .. woken is null ? Array.Empty<Task>() : [woken]];
                var ended = await Task.WhenAny(events);
                if (ended == claim)
                {
                    List<OutboxMessage> rows;
                    try
                    {
                        rows = await claim;
                    }
                    catch (Exception) when (recording.Count > 0)
                    {
                        // The database is unreachable: let the running rows end (they cannot throw) before giving up,
                        // so that none keeps running unwatched while its lease runs out.
                        await Task.WhenAll(recording);
                        throw;
                    }
                    finally
                    {
                        claim = null;
                    }
                    foreach (var row in rows)
                    {
                        waiting.Enqueue(Hold(row, ct));
                    }
                    ran += rows.Count;
                    drained = rows.Count < asked && !changed;
                    changed = false;
                    continue;
                }
                drained = false;
                changed = claim is not null;
                working.RemoveAll(t => t.IsCompleted);
                foreach (var done in recording.Where(t => t.IsCompleted).ToList())
                {
                    recording.Remove(done);
                    await done; // only a cancellation is thrown from here
                }
                if (ended == woken)
                {
                    await woken;
                }
            }
        }
        finally
        {
            await stopWaiting.CancelAsync();
            if (waiting.Count > 0)
            {
                await ReleaseAsync([.. waiting]);
            }
        }
    }

    /// <summary>A claimed row whose lease is kept from the claim on, while it waits for a slot and while its step runs.</summary>
    private sealed record Held(OutboxMessage Row, CancellationTokenSource StopLease, Task Lease);

    private Held Hold(OutboxMessage row, CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new Held(row, stop, KeepLeaseAsync(row, stop.Token));
    }

    /// <summary>
    /// Gives back rows claimed ahead that will not run here (the processor stops or the database failed), so that they run at once
    /// after a restart or on another instance rather than once their leases expire; the claim's attempt is not counted.
    /// </summary>
    private async Task ReleaseAsync(IReadOnlyList<Held> held)
    {
        foreach (var h in held)
        {
            await h.StopLease.CancelAsync();
            await h.Lease;
            h.StopLease.Dispose();
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
            var ids = held.Select(h => h.Row.Id).ToList();
            await db.Outbox.Where(o => ids.Contains(o.Id) && o.LeaseOwner == _owner && o.DoneAt == null).ExecuteUpdateAsync(u => u
                .SetProperty(o => o.LeaseOwner, (string?)null)
                .SetProperty(o => o.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(o => o.Attempts, o => o.Attempts - 1), CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.ClaimedAheadNotReleased(log, held.Count, e);
        }
    }

    /// <summary>The PostgreSQL claim: {0} lease owner, {1} lease end, {2} now, {3} how many rows at most.</summary>
    internal const string PostgresClaim = """
        UPDATE outbox SET lease_owner = {0}, lease_until = {1}, attempts = attempts + 1
        WHERE id IN (
            SELECT o.id FROM outbox o
            WHERE o.done_at IS NULL AND o.dead_at IS NULL AND o.due_at <= {2}
              AND (o.lease_until IS NULL OR o.lease_until < {2})
              AND o.id = (SELECT p.id FROM outbox p WHERE p.incident_id = o.incident_id AND p.done_at IS NULL ORDER BY p.id LIMIT 1)
            ORDER BY o.due_at, o.id
            LIMIT {3}
            FOR UPDATE SKIP LOCKED)
        RETURNING *
        """;

    /// <summary>
    /// A finished row on PostgreSQL, in one statement: marks it done if this instance still holds it and records the action in
    /// the incident's timeline. {0} now, {1} row id, {2} lease owner, {3} summary, {4} duration in ms.
    /// </summary>
    internal const string PostgresDone = """
        WITH done AS (
            UPDATE outbox SET done_at = {0}, lease_owner = NULL, lease_until = NULL, last_error = NULL
            WHERE id = {1} AND lease_owner = {2} AND done_at IS NULL
            RETURNING incident_id)
        INSERT INTO timeline (incident_id, at, kind, summary, duration_ms)
        SELECT incident_id, {0}, 'action', {3}, {4} FROM done
        """;

    /// <summary>
    /// Leases up to <paramref name="batch"/> due rows, each the first unfinished row of its incident. That condition is an
    /// index probe per candidate (the incident's lowest pending id): written as NOT EXISTS, PostgreSQL planned it — on a
    /// table that grew faster than autovacuum analysed it, e.g. a backlog after an outage — as a scan of every pending
    /// row per candidate (84 ms per claim at 1,500 pending rows, against 1 ms now), and the claim loop stalled.
    /// </summary>
    private async Task<List<OutboxMessage>> ClaimAsync(int batch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
        var now = time.GetUtcNow();
        var until = now + options.Value.LeaseDuration;
        if (db is SqliteIncidentsDbContext)
        {
            // One instance, one writer at a time: no row locks to skip. Times are stored as UTC ticks.
            long nowTicks = now.UtcTicks, untilTicks = until.UtcTicks;
            return await db.Outbox.FromSql($"""
                UPDATE outbox SET lease_owner = {_owner}, lease_until = {untilTicks}, attempts = attempts + 1
                WHERE id IN (
                    SELECT o.id FROM outbox o
                    WHERE o.done_at IS NULL AND o.dead_at IS NULL AND o.due_at <= {nowTicks}
                      AND (o.lease_until IS NULL OR o.lease_until < {nowTicks})
                      AND o.id = (SELECT p.id FROM outbox p WHERE p.incident_id = o.incident_id AND p.done_at IS NULL ORDER BY p.id LIMIT 1)
                    ORDER BY o.due_at, o.id
                    LIMIT {batch})
                RETURNING *
                """).AsNoTracking().ToListAsync(ct);
        }
        return await db.Outbox.FromSqlRaw(PostgresClaim, _owner, until, now, batch).AsNoTracking().ToListAsync(ct);
    }

    /// <param name="slot">Completed when the step's work has ended (before its outcome is recorded).</param>
    private async Task RunAsync(Held held, TaskCompletionSource slot, CancellationToken ct)
    {
        try
        {
            await RunStepAsync(held, slot, ct);
        }
        finally
        {
            slot.TrySetResult();
            held.StopLease.Dispose();
        }
    }

    private async Task RunStepAsync(Held held, TaskCompletionSource slot, CancellationToken ct)
    {
        var row = held.Row;
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Telemetry.Source.StartActivity($"outbox {row.Kind}", ActivityKind.Internal, parent);
        activity?.SetTag("incidents.incident_id", row.IncidentId);
        activity?.SetTag("incidents.outbox_id", row.Id);
        var started = time.GetTimestamp();
        Exception? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await Dispatch(scope.ServiceProvider.GetRequiredService<IMediator>(), row, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            error = e;
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }
        finally
        {
            await held.StopLease.CancelAsync();
            await held.Lease;
        }
        slot.TrySetResult();
        try
        {
            var outcome = await FinishAsync(row, error, started, CancellationToken.None);
            telemetry.Attempt(row.Kind, outcome, time.GetElapsedTime(started));
            if (error is null)
            {
                Log.OutboxDone(log, row.Id, row.Kind, row.IncidentId, time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is unreachable: the row keeps its lease and runs again once the lease has expired.
            Log.OutboxFinishFailed(log, row.Id, row.Kind, e);
        }
    }

    /// <summary>
    /// Extends the row's lease every third of <see cref="OutboxOptions.LeaseDuration"/> while it waits for a slot and while its
    /// step runs, so a long step (a huge export, a slow chat server) is never taken over by another claim while it still works.
    /// </summary>
    private async Task KeepLeaseAsync(OutboxMessage row, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.LeaseDuration / 3, time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
                    var until = time.GetUtcNow() + options.Value.LeaseDuration;
                    await db.Outbox.Where(o => o.Id == row.Id && o.LeaseOwner == _owner && o.DoneAt == null)
                        .ExecuteUpdateAsync(u => u.SetProperty(o => o.LeaseUntil, until), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.LeaseNotExtended(log, row.Id, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The step ended.
        }
    }

    private static string Owner()
    {
        var owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return owner.Length > 128 ? owner[^128..] : owner;
    }

    private static ValueTask<Unit> Dispatch(IMediator mediator, OutboxMessage row, CancellationToken ct) => row.Kind switch
    {
        LifecycleAction.OpenChannel => mediator.Send(new OpenChannel(row.ChannelId), ct),
        LifecycleAction.PostMessage => mediator.Send(new PostMessage(row.Id, row.ChannelId, row.Text ?? ""), ct),
        LifecycleAction.CloseChannel => mediator.Send(new CloseChannel(row.ChannelId), ct),
        _ => throw new InvalidOperationException($"unknown outbox kind '{row.Kind}'"),
    };

    /// <returns>The attempt's outcome for the metrics: done, rate_limited, retry or dead.</returns>
    private async Task<string> FinishAsync(OutboxMessage row, Exception? error, long started, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
        var now = time.GetUtcNow();
        var mine = db.Outbox.Where(o => o.Id == row.Id && o.LeaseOwner == _owner && o.DoneAt == null);
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        if (error is null)
        {
            var done = $"{row.Kind} done";
            if (db is not SqliteIncidentsDbContext)
            {
                // The most frequent write of the service: one statement, not two (PostgreSQL).
                await db.Database.ExecuteSqlRawAsync(PostgresDone, [now, row.Id, _owner, done, elapsed], ct);
                return "done";
            }
            db.Timeline.Add(new TimelineEntry { IncidentId = row.IncidentId, At = now, Kind = "action", Summary = done, DurationMs = elapsed });
            await db.SaveChangesAsync(ct);
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(o => o.DoneAt, now)
                .SetProperty(o => o.LeaseOwner, (string?)null)
                .SetProperty(o => o.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(o => o.LastError, (string?)null), ct);
            return "done";
        }
        var retry = Retry.After(row, error, now, options.Value);
        var message = Retry.Describe(error);
        var next = retry.Dead ? "dead: waits for an operator" : $"next attempt at {retry.DueAt:yyyy-MM-dd HH:mm:ss} UTC";
        var summary = $"{row.Kind} attempt {row.Attempts} failed ({next}): {message}";
        db.Timeline.Add(new TimelineEntry
        {
            IncidentId = row.IncidentId,
            At = now,
            Kind = "error",
            Summary = summary.Length > 4000 ? summary[..4000] : summary,
            DurationMs = elapsed,
        });
        await db.SaveChangesAsync(ct);
        await mine.ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Failures, retry.Failures)
            .SetProperty(o => o.DueAt, retry.DueAt)
            .SetProperty(o => o.DeadAt, retry.Dead ? now : null)
            .SetProperty(o => o.LeaseOwner, (string?)null)
            .SetProperty(o => o.LeaseUntil, (DateTimeOffset?)null)
            .SetProperty(o => o.LastError, message), ct);
        if (retry.Dead)
        {
            Log.OutboxDead(log, row.Id, row.Kind, row.IncidentId, retry.Failures, message);
            return "dead";
        }
        Log.OutboxRetry(log, row.Id, row.Kind, row.IncidentId, retry.Failures, retry.DueAt, message);
        return retry.Failures == row.Failures ? "rate_limited" : "retry";
    }
}
