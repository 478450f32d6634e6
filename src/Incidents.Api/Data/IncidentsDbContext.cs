using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts;
using Incidents.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Data;

internal sealed class IncidentsDbContext(DbContextOptions<IncidentsDbContext> options) : DbContext(options)
{
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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IncidentsDbContext).Assembly);
}
