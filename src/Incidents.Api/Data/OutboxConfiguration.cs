using Incidents.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Incidents.Data;

internal sealed class OutboxConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.LeaseOwner).HasMaxLength(128);
        // The claim query scans only unfinished rows, in its own order (due time, id: it stops after the rows it takes), and by incident.
        b.HasIndex(x => new { x.DueAt, x.Id }).HasFilter("done_at IS NULL AND dead_at IS NULL").HasDatabaseName("ix_outbox_due");
        b.HasIndex(x => new { x.IncidentId, x.Id }).HasFilter("done_at IS NULL").HasDatabaseName("ix_outbox_incident_pending");
    }
}
