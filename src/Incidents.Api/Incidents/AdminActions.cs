using Incidents.Data;
using Incidents.Lifecycle;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Incidents;

/// <summary>
/// What an operator can do about an incident (admin key): re-queue dead work, close it now, retry the
/// verification of its transcript, or export the transcript again from scratch. Each action is recorded in
/// the incident's timeline and wakes the outbox.
/// </summary>
internal static class AdminActions
{
    public sealed record Result(string Action, int Queued, string Detail);

    /// <summary><c>POST /incidents/{id}/requeue</c>: every dead row runs again now, with its failure count reset.</summary>
    public static async Task<Results<Ok<Result>, NotFound, ProblemHttpResult>> Requeue(Guid id, IncidentsDbContext db, TimeProvider time, OutboxSignal signal, CancellationToken ct)
    {
        if (!await db.Incidents.AnyAsync(i => i.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var now = time.GetUtcNow();
        var count = await RequeueDead(db, id, now, ct);
        if (count == 0)
        {
            return Conflict("Nothing to re-queue", "The incident has no dead work.");
        }
        return await Done(db, signal, id, now, "requeue", count, $"{count} dead row(s) re-queued", ct);
    }

    /// <summary><c>POST /incidents/{id}/close</c>: closes the current period now, as if the ticket had closed.</summary>
    public static async Task<Results<Ok<Result>, NotFound, ProblemHttpResult>> Close(Guid id, IncidentsDbContext db, TimeProvider time, OutboxSignal signal, CancellationToken ct)
    {
        var incident = await db.Incidents.Include(i => i.Channels).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
        {
            return TypedResults.NotFound();
        }
        var now = time.GetUtcNow();
        var actions = incident.ForceClose(now);
        if (actions.Count == 0)
        {
            return Conflict("Already closed", "The incident has no open channel.");
        }
        foreach (var action in actions)
        {
            db.Outbox.Add(new OutboxMessage { IncidentId = id, ChannelId = action.ChannelId, Kind = action.Kind, Text = action.Text, CreatedAt = now, DueAt = now });
        }
        return await Done(db, signal, id, now, "close", actions.Count, "closed by an operator", ct);
    }

    /// <summary><c>POST /incidents/{id}/retry-verification</c>: reads the ticket back again for a published transcript.</summary>
    public static async Task<Results<Ok<Result>, NotFound, ProblemHttpResult>> RetryVerification(Guid id, IncidentsDbContext db, TimeProvider time, OutboxSignal signal, CancellationToken ct)
    {
        var channel = await db.Channels.Where(c => c.IncidentId == id).OrderByDescending(c => c.Period).FirstOrDefaultAsync(ct);
        if (channel is null)
        {
            return TypedResults.NotFound();
        }
        if (channel.Status != ChannelStatus.Published)
        {
            return Conflict("Nothing to verify", $"The latest channel is {channel.Status}; verification applies to a published transcript.");
        }
        var now = time.GetUtcNow();
        var count = await RequeueDead(db, id, now, ct);
        if (count == 0 && !await db.Outbox.AnyAsync(o => o.IncidentId == id && o.DoneAt == null, ct))
        {
            db.Outbox.Add(new OutboxMessage { IncidentId = id, ChannelId = channel.Id, Kind = LifecycleAction.CloseChannel, CreatedAt = now, DueAt = now });
            count = 1;
        }
        return await Done(db, signal, id, now, "retry-verification", count, "verification queued", ct);
    }

    /// <summary>
    /// <c>POST /incidents/{id}/export</c>: captures, renders and publishes the latest channel's transcript again from
    /// scratch (the room must still exist: archived, not removed). Parts already in the ticket stay; the new
    /// export is published beside them under its own hash.
    /// </summary>
    public static async Task<Results<Ok<Result>, NotFound, ProblemHttpResult>> Export(Guid id, IncidentsDbContext db, TimeProvider time, OutboxSignal signal, CancellationToken ct)
    {
        var channel = await db.Channels.Where(c => c.IncidentId == id).OrderByDescending(c => c.Period).FirstOrDefaultAsync(ct);
        if (channel is null)
        {
            return TypedResults.NotFound();
        }
        if (channel.Status is not (ChannelStatus.Archived or ChannelStatus.Captured or ChannelStatus.Published or ChannelStatus.Verified))
        {
            return Conflict("Cannot export", $"The latest channel is {channel.Status}: export runs on a closed channel that still exists (use close for an open one).");
        }
        var now = time.GetUtcNow();
        await db.Outbox.Where(o => o.IncidentId == id && o.DoneAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.DoneAt, now).SetProperty(o => o.LastError, "superseded by an operator's export"), ct);
        await db.Transcripts.Where(t => t.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        await db.TranscriptParts.Where(p => p.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        await db.TranscriptBlobs.Where(b => b.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        await db.CapturedMessages.Where(m => m.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        await db.CapturedFiles.Where(f => f.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        channel.Status = ChannelStatus.Archived;
        channel.ExportCursor = null;
        channel.HistoryComplete = false;
        channel.ExportPages = channel.ExportMessages = channel.ExportFiles = 0;
        channel.PublishStarted = false;
        channel.TranscriptHash = null;
        channel.TranscriptCommentIds = [];
        channel.LastError = null;
        db.Outbox.Add(new OutboxMessage { IncidentId = id, ChannelId = channel.Id, Kind = LifecycleAction.CloseChannel, CreatedAt = now, DueAt = now });
        return await Done(db, signal, id, now, "export", 1, "export restarted from the channel's history", ct);
    }

    private static Task<int> RequeueDead(IncidentsDbContext db, Guid id, DateTimeOffset now, CancellationToken ct) =>
        db.Outbox.Where(o => o.IncidentId == id && o.DeadAt != null && o.DoneAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.DeadAt, (DateTimeOffset?)null)
            .SetProperty(o => o.Failures, 0)
            .SetProperty(o => o.DueAt, now)
            .SetProperty(o => o.LeaseUntil, (DateTimeOffset?)null), ct);

    private static async Task<Results<Ok<Result>, NotFound, ProblemHttpResult>> Done(IncidentsDbContext db, OutboxSignal signal, Guid id, DateTimeOffset now,
        string action, int queued, string detail, CancellationToken ct)
    {
        db.Timeline.Add(new TimelineEntry { IncidentId = id, At = now, Kind = "admin", Summary = $"{action}: {detail}" });
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return TypedResults.Ok(new Result(action, queued, detail));
    }

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);
}
