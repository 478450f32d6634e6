using Incidents.Data;
using Incidents.Incidents;
using Incidents.Web;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Lifecycle;

/// <summary>
/// Level-triggered repair: finds channels whose known state lags behind the ticket's (not created yet, or
/// closed but not removed) while no work is queued for their incident, and queues that work again. Dead
/// rows count as queued: they wait for an operator instead of being retried behind their back.
/// </summary>
internal sealed class Reconciler(IncidentsDbContext db, TimeProvider time, OutboxSignal signal, ILogger<Reconciler> log)
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stuck = await db.Channels
            .Where(c => c.Status != ChannelStatus.Removed && (c.Status == ChannelStatus.Pending || c.ClosedAt != null))
            .Where(c => !db.Outbox.Any(o => o.IncidentId == c.IncidentId && o.DoneAt == null))
            .OrderBy(c => c.CreatedAt)
            .Take(500)
            .ToListAsync(ct);
        foreach (var channel in stuck)
        {
            if (channel.Status == ChannelStatus.Pending)
            {
                Enqueue(channel, LifecycleAction.OpenChannel, now);
            }
            if (channel.ClosedAt is not null)
            {
                Enqueue(channel, LifecycleAction.CloseChannel, now);
            }
            Log.Reconciled(log, channel.IncidentId, channel.Name, channel.Status.ToString());
        }
        await db.SaveChangesAsync(ct);
        if (stuck.Count > 0)
        {
            signal.Notify();
        }
        return stuck.Count;
    }

    private void Enqueue(Channel channel, string kind, DateTimeOffset now) =>
        db.Outbox.Add(new OutboxMessage { IncidentId = channel.IncidentId, ChannelId = channel.Id, Kind = kind, CreatedAt = now, DueAt = now, TraceParent = System.Diagnostics.Activity.Current?.Id });
}
