using Incidents.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Incidents;

/// <summary><c>GET /incidents/{id}</c>: the ticket, every channel with its transcript, and unfinished work.</summary>
internal static class GetIncident
{
    public sealed record Detail(Guid Id, string Source, string TicketKey, string TicketRef, string Title, string Url, string State,
        DateTimeOffset StateAt, string Author, IReadOnlyList<string> Labels, IReadOnlyList<string> Assignees,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ChannelDetail> Channels, IReadOnlyList<WorkItem> PendingWork,
        IReadOnlyList<WorkItem> DeadWork, IReadOnlyList<TimelineItem> Timeline);

    public sealed record TimelineItem(DateTimeOffset At, string Kind, string Summary, double? DurationMs);

    public sealed record ChannelDetail(Guid Id, int Period, string Name, string? RoomId, string Status, DateTimeOffset OpenedAt,
        DateTimeOffset? ClosedAt, DateTimeOffset? RemovedAt, string? TranscriptHash, IReadOnlyList<string> TranscriptCommentIds,
        string? TranscriptUrl, string? LastError, ExportProgress Export);

    /// <summary>How far the close export has come: history pages and messages read, files downloaded.</summary>
    public sealed record ExportProgress(int Pages, int Messages, int Files, bool HistoryComplete);

    public sealed record WorkItem(long Id, string Kind, Guid ChannelId, DateTimeOffset DueAt, int Attempts, int Failures,
        DateTimeOffset? LeaseUntil, DateTimeOffset? DeadAt, string? LastError);

    public static async Task<Results<Ok<Detail>, NotFound>> Handle(Guid id, IncidentsDbContext db, CancellationToken ct)
    {
        var i = await db.Incidents.AsNoTracking().Include(x => x.Channels).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (i is null)
        {
            return TypedResults.NotFound();
        }
        var work = await db.Outbox.AsNoTracking().Where(o => o.IncidentId == id && o.DoneAt == null).OrderBy(o => o.Id).ToListAsync(ct);
        var timeline = await db.Timeline.AsNoTracking().Where(t => t.IncidentId == id).OrderByDescending(t => t.Id).Take(500)
            .Select(t => new TimelineItem(t.At, t.Kind, t.Summary, t.DurationMs)).ToListAsync(ct);
        timeline.Reverse();
        var items = work.Select(o => new WorkItem(o.Id, o.Kind, o.ChannelId, o.DueAt, o.Attempts, o.Failures, o.LeaseUntil, o.DeadAt, o.LastError)).ToList();
        return TypedResults.Ok(new Detail(i.Id, i.Source, i.TicketKey, i.TicketRef, i.Title, i.Url, i.State.ToString().ToLowerInvariant(), i.StateAt,
            i.Author, i.Labels, i.Assignees, i.CreatedAt, i.UpdatedAt,
            [.. i.Channels.OrderBy(c => c.Period).Select(c => new ChannelDetail(c.Id, c.Period, c.Name, c.RoomId, c.Status.ToString(), c.OpenedAt,
                c.ClosedAt, c.RemovedAt, c.TranscriptHash, c.TranscriptCommentIds, c.TranscriptUrl, c.LastError,
                new ExportProgress(c.ExportPages, c.ExportMessages, c.ExportFiles, c.HistoryComplete)))],
            [.. items.Where(w => w.DeadAt is null)],
            [.. items.Where(w => w.DeadAt is not null)],
            timeline));
    }
}
