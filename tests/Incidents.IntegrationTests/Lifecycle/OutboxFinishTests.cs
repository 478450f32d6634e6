using Incidents.Data;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Incidents.IntegrationTests.Lifecycle;

/// <summary>
/// On PostgreSQL a finished step is marked done and recorded in the timeline by one statement; it must do both only while the
/// instance still holds the row's lease (another instance that took the row over records its own run).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxFinishTests(PostgresServer postgres)
{
    [Fact]
    public async Task Done_MarksTheRowAndRecordsTheActionTogether_OnlyForTheLeaseHolder()
    {
        await using var h = await Harness.StartAsync(postgres);
        var now = h.Time.GetUtcNow();
        var incident = Guid.CreateVersion7(now);
        await h.CopyAsync([new OutboxMessage
        {
            IncidentId = incident,
            ChannelId = incident,
            Kind = "post-message",
            Text = "hello",
            CreatedAt = now,
            DueAt = now,
            LeaseOwner = "instance-a",
            LeaseUntil = now.AddMinutes(5),
        }]);
        var id = await h.QueryAsync(db => db.Outbox.Select(o => o.Id).SingleAsync());

        var byOther = await DoneAsync(h, now, id, "instance-b");
        Assert.Equal(0, byOther);
        var untouched = await h.QueryAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal(((DateTimeOffset?)null, "instance-a"), (untouched.DoneAt, untouched.LeaseOwner));
        Assert.Equal(0, await h.QueryAsync(db => db.Timeline.CountAsync()));

        var byHolder = await DoneAsync(h, now.AddSeconds(1), id, "instance-a");
        Assert.Equal(1, byHolder);
        var row = await h.QueryAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal(((DateTimeOffset?)now.AddSeconds(1), (string?)null, (DateTimeOffset?)null), (row.DoneAt, row.LeaseOwner, row.LeaseUntil));
        var entry = await h.QueryAsync(db => db.Timeline.AsNoTracking().SingleAsync());
        Assert.Equal((incident, "action", "post-message done", (double?)12.5, now.AddSeconds(1)), (entry.IncidentId, entry.Kind, entry.Summary, entry.DurationMs, entry.At));

        Assert.Equal(0, await DoneAsync(h, now.AddSeconds(2), id, "instance-a")); // already done: nothing twice
        Assert.Equal(1, await h.QueryAsync(db => db.Timeline.CountAsync()));
    }

    private static async Task<int> DoneAsync(Harness h, DateTimeOffset at, long id, string owner)
    {
        await using var scope = h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
        return await db.Database.ExecuteSqlRawAsync(OutboxProcessor.PostgresDone, [at, id, owner, "post-message done", 12.5]);
    }
}
