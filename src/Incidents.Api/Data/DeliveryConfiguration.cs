using Incidents.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Incidents.Data;

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> b)
    {
        b.ToTable("deliveries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.Source).HasMaxLength(64);
        b.Property(x => x.DeliveryId).HasMaxLength(256);
        b.Property(x => x.Event).HasMaxLength(128);
        b.HasIndex(x => new { x.Source, x.DeliveryId }).IsUnique();
        b.HasIndex(x => x.IncidentId);
    }
}
