using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Tickets;
using Incidents.Transcripts;
using Incidents.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Data;

/// <summary>The service's data, on PostgreSQL (this type) or on an embedded SQLite file (<see cref="SqliteIncidentsDbContext"/>).</summary>
internal class IncidentsDbContext : DbContext
{
    public IncidentsDbContext(DbContextOptions<IncidentsDbContext> options)
        : base(options)
    {
    }

    protected IncidentsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<Transcript> Transcripts => Set<Transcript>();
    public DbSet<TranscriptPart> TranscriptParts => Set<TranscriptPart>();
    public DbSet<TranscriptBlob> TranscriptBlobs => Set<TranscriptBlob>();
    public DbSet<CapturedMessage> CapturedMessages => Set<CapturedMessage>();
    public DbSet<CapturedFile> CapturedFiles => Set<CapturedFile>();
    public DbSet<PollCursor> PollCursors => Set<PollCursor>();

    /// <summary>A channel (tracked) with its incident, in one round trip: what the open and close steps start from.</summary>
    public async Task<(Channel Channel, Incident Incident)> ChannelWithIncidentAsync(Guid channelId, CancellationToken ct)
    {
        var loaded = await (from c in Channels
                            join i in Incidents on c.IncidentId equals i.Id
                            where c.Id == channelId
                            select new { c, i }).SingleAsync(ct);
        return (loaded.c, loaded.i);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IncidentsDbContext).Assembly);
}
