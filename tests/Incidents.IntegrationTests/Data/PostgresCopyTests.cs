using Incidents.Data;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Incidents.IntegrationTests.Data;

/// <summary>
/// Rows inserted by binary COPY (the webhook batch path) must read back through EF exactly like rows EF inserted:
/// every column, conversions (enums as text, lists), nulls, offsets, identity and row version left to the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCopyTests(PostgresServer postgres)
{
    [Fact]
    public async Task Copy_RowsReadBackLikeRowsEfInserted()
    {
        await using var h = await Harness.StartAsync(postgres);
        var at = new DateTimeOffset(2026, 3, 1, 12, 30, 15, TimeSpan.Zero).AddTicks(1230); // sub-millisecond
        Incident Make(string key) => new()
        {
            Id = Guid.CreateVersion7(at),
            Source = "github",
            TicketKey = key,
            TicketRef = "octo/repo#" + key,
            Title = "Disk full \"db-2\" — ünïcode",
            Url = "https://github.com/octo/repo/issues/" + key,
            Author = "alice",
            Labels = ["incident", "sev-1"],
            Assignees = [],
            Body = null,
            State = TicketState.Open,
            StateAt = at,
            SnapshotAt = DateTimeOffset.MinValue,
            CreatedAt = at,
            UpdatedAt = at.AddSeconds(1),
        };
        OutboxMessage Row(Incident incident) => new()
        {
            IncidentId = incident.Id,
            ChannelId = Guid.NewGuid(),
            Kind = "post-message",
            Text = "line one\nline two\t✓",
            CreatedAt = at,
            DueAt = at,
            LeaseUntil = null,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };
        var viaEf = Make("1");
        var viaCopy = Make("2");
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
            db.Incidents.Add(viaEf);
            db.Outbox.Add(Row(viaEf));
            await db.SaveChangesAsync();
        }
        await h.CopyAsync([viaCopy]);
        await h.CopyAsync([Row(viaCopy), Row(viaCopy)]);

        var (ef, copied) = await h.QueryAsync(async db => (
            await db.Incidents.AsNoTracking().SingleAsync(i => i.TicketKey == "1"),
            await db.Incidents.AsNoTracking().SingleAsync(i => i.TicketKey == "2")));
        Assert.Equal(Comparable(ef), Comparable(copied));
        Assert.NotEqual(0u, copied.Version); // xmin, given by the database
        var outbox = await h.QueryAsync(db => db.Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync());
        Assert.Equal(3, outbox.Count);
        Assert.True(outbox[1].Id > outbox[0].Id && outbox[2].Id > outbox[1].Id); // identity from the database, in row order
        Assert.All(outbox.Skip(1), o => Assert.Equal(OutboxComparable(outbox[0]), OutboxComparable(o)));
    }

    private static string Comparable(Incident i) =>
        string.Join("|", i.Source, i.TicketRef.Replace("#1", "#N").Replace("#2", "#N"), i.Title, i.Url.Replace("/1", "/N").Replace("/2", "/N"), i.Author,
            string.Join(",", i.Labels), string.Join(",", i.Assignees), i.Body ?? "<null>", i.State, i.StateAt.UtcTicks, i.SnapshotAt.UtcTicks,
            i.CreatedAt.UtcTicks, i.UpdatedAt.UtcTicks);

    private static string OutboxComparable(OutboxMessage o) =>
        string.Join("|", o.Kind, o.Text, o.CreatedAt.UtcTicks, o.DueAt.UtcTicks, o.Attempts, o.Failures, o.LeaseOwner ?? "<null>",
            o.LeaseUntil?.UtcTicks, o.DoneAt?.UtcTicks, o.DeadAt?.UtcTicks, o.LastError ?? "<null>", o.TraceParent);
}
