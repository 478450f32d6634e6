using Incidents.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Incidents.Data;

internal sealed class PollCursorConfiguration : IEntityTypeConfiguration<PollCursor>
{
    public void Configure(EntityTypeBuilder<PollCursor> b)
    {
        b.ToTable("poll_cursors");
        b.HasKey(x => x.Source);
        b.Property(x => x.Source).HasMaxLength(64);
        b.Property(x => x.LeaseOwner).HasMaxLength(128);
    }
}
