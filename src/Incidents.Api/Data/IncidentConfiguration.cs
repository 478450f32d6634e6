using Incidents.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Incidents.Data;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.ToTable("incidents");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Source).HasMaxLength(64);
        b.Property(x => x.TicketKey).HasMaxLength(512);
        b.Property(x => x.TicketRef).HasMaxLength(512);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.Source, x.TicketKey }).IsUnique();
        b.HasIndex(x => new { x.State, x.CreatedAt });
        b.HasIndex(x => x.CreatedAt);
        b.HasMany(x => x.Channels).WithOne().HasForeignKey(c => c.IncidentId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.CurrentChannel);
    }
}
