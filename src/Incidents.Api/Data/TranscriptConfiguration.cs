using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Incidents.Data;

internal sealed class TranscriptConfiguration : IEntityTypeConfiguration<Transcript>
{
    public void Configure(EntityTypeBuilder<Transcript> b)
    {
        b.ToTable("transcripts");
        b.HasKey(x => x.ChannelId);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.HasIndex(x => x.IncidentId);
    }
}
