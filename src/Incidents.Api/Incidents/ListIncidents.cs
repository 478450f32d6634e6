using Incidents.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Incidents;

/// <summary><c>GET /incidents?state=open|closed&amp;page=1&amp;pageSize=50</c>, newest first.</summary>
internal static class ListIncidents
{
    public sealed record Item(Guid Id, string Source, string TicketKey, string TicketRef, string Title, string Url, string State,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Channel, string? ChannelStatus, int Periods);

    public static async Task<Results<Ok<PageResult>, ProblemHttpResult>> Handle(IncidentsDbContext db, string? state, int? page, int? pageSize, CancellationToken ct)
    {
        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (size is < 1 or > 500 || number < 1)
        {
            return TypedResults.Problem("page must be ≥ 1 and pageSize between 1 and 500.", statusCode: 400, title: "Invalid paging");
        }
        var query = db.Incidents.AsNoTracking();
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<TicketState>(state, ignoreCase: true, out var parsed))
            {
                return TypedResults.Problem("state must be 'open' or 'closed'.", statusCode: 400, title: "Invalid state filter");
            }
            query = query.Where(i => i.State == parsed);
        }
        // Counting every matching row costs as much as the table is large: count up to a bound and say so. The bound is
        // small enough that the count costs the same at ten thousand incidents and at a million (docs/benchmarks.md).
        var total = await query.Take(MaxCount + 1).CountAsync(ct);
        var items = await query
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Skip((number - 1) * size).Take(size)
            .Select(i => new
            {
                i.Id, i.Source, i.TicketKey, i.TicketRef, i.Title, i.Url, i.State, i.CreatedAt, i.UpdatedAt,
                // Scalar subqueries, one index probe per listed incident: an object projection here becomes a join on a
                // ROW_NUMBER() over the whole channels table (seconds at a million rows).
                Channel = i.Channels.OrderByDescending(c => c.Period).Select(c => c.Name).FirstOrDefault(),
                ChannelStatus = i.Channels.OrderByDescending(c => c.Period).Select(c => (ChannelStatus?)c.Status).FirstOrDefault(),
                Periods = i.Channels.Count,
            })
            .ToListAsync(ct);
        return TypedResults.Ok(new PageResult(
            [.. items.Select(i => new Item(i.Id, i.Source, i.TicketKey, i.TicketRef, i.Title, i.Url, i.State.ToString().ToLowerInvariant(),
                i.CreatedAt, i.UpdatedAt, i.Channel, i.ChannelStatus?.ToString(), i.Periods))],
            number, size, Math.Min(total, MaxCount), total > MaxCount));
    }

    /// <summary>A page of incidents; <paramref name="Total"/> stops at 1,000 (<paramref name="TotalIsLowerBound"/> then says there are more, and later pages still work).</summary>
    public sealed record PageResult(IReadOnlyList<Item> Items, int Page, int PageSize, int Total, bool TotalIsLowerBound);

    public const int MaxCount = 1_000;
}
