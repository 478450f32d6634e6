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
        b.Property(x => x.ManifestJson).HasColumnType("jsonb");
        b.HasIndex(x => x.IncidentId);
    }
}

internal sealed class TranscriptBlobConfiguration : IEntityTypeConfiguration<TranscriptBlob>
{
    public void Configure(EntityTypeBuilder<TranscriptBlob> b)
    {
        b.ToTable("transcript_blobs");
        b.HasKey(x => new { x.ChannelId, x.Format, x.Chunk });
        b.Property(x => x.Format).HasMaxLength(8);
    }
}

internal sealed class TranscriptPartConfiguration : IEntityTypeConfiguration<TranscriptPart>
{
    public void Configure(EntityTypeBuilder<TranscriptPart> b)
    {
        b.ToTable("transcript_parts");
        b.HasKey(x => new { x.ChannelId, x.Part });
        b.Property(x => x.Sha256).HasMaxLength(64);
    }
}

internal sealed class CapturedMessageConfiguration : IEntityTypeConfiguration<CapturedMessage>
{
    public void Configure(EntityTypeBuilder<CapturedMessage> b)
    {
        b.ToTable("captured_messages");
        b.HasKey(x => new { x.ChannelId, x.MessageId });
        b.Property(x => x.MessageId).HasMaxLength(64);
        b.Property(x => x.ThreadId).HasMaxLength(64);
        b.Property(x => x.Username).HasMaxLength(128);
        b.Property(x => x.SystemType).HasMaxLength(64);
        b.Property(x => x.Json).HasColumnType("jsonb");
        b.HasIndex(x => new { x.ChannelId, x.Timestamp });
    }
}

internal sealed class CapturedFileConfiguration : IEntityTypeConfiguration<CapturedFile>
{
    public void Configure(EntityTypeBuilder<CapturedFile> b)
    {
        b.ToTable("captured_files");
        b.HasKey(x => new { x.ChannelId, x.FileId });
        b.Property(x => x.FileId).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
    }
}
