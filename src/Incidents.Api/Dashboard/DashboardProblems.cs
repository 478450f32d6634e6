using Incidents.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Dashboard;

/// <summary>
/// <c>GET /dashboard/api/problems?id=…&amp;id=…</c> (admin key): for the incidents of one list page, their
/// unfinished work (pending and dead rows) and the most telling error — a dead row's, else a channel's, else a
/// retrying row's — so the list can highlight trouble without loading every incident.
/// </summary>
internal static class DashboardProblems
{
    public const int MaxIds = 500;

    public sealed record Problem(Guid Id, int Pending, int Dead, string? LastError);

    public static async Task<Results<Ok<IReadOnlyList<Problem>>, ProblemHttpResult>> Handle([FromQuery(Name = "id")] Guid[]? ids, IncidentsDbContext db, CancellationToken ct)
    {
        ids ??= [];
        if (ids.Length > MaxIds)
        {
            return TypedResults.Problem($"At most {MaxIds} ids per call.", statusCode: 400, title: "Too many ids");
        }
        var work = await db.Outbox.AsNoTracking()
            .Where(o => ids.Contains(o.IncidentId) && o.DoneAt == null)
            .OrderByDescending(o => o.Id)
            .Select(o => new { o.IncidentId, Dead = o.DeadAt != null, o.LastError })
            .ToListAsync(ct);
        var channels = await db.Channels.AsNoTracking()
            .Where(c => ids.Contains(c.IncidentId) && c.LastError != null)
            .OrderByDescending(c => c.Period)
            .Select(c => new { c.IncidentId, c.LastError })
            .ToListAsync(ct);
        IReadOnlyList<Problem> result = [.. ids.Distinct().Select(id =>
        {
            var rows = work.Where(w => w.IncidentId == id).ToList();
            var error = rows.FirstOrDefault(r => r.Dead && r.LastError is not null)?.LastError
                ?? channels.FirstOrDefault(c => c.IncidentId == id)?.LastError
                ?? rows.FirstOrDefault(r => r.LastError is not null)?.LastError;
            return new Problem(id, rows.Count(r => !r.Dead), rows.Count(r => r.Dead), error);
        })];
        return TypedResults.Ok(result);
    }
}
