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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IncidentsDbContext).Assembly);
}
