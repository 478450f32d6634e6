using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Transcripts;

/// <summary>
/// Streams the large renderings (JSON, HTML) into and out of <c>transcript_blobs</c> in 1 MiB chunks, so a
/// rendering is never held whole in memory, on either database.
/// </summary>
internal static class TranscriptBlobs
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>Replaces the rendering with the content of <paramref name="content"/>, read to its end.</summary>
    public static async Task WriteAsync(IncidentsDbContext db, Guid channelId, string format, Stream content, CancellationToken ct)
    {
        await db.TranscriptBlobs.Where(b => b.ChannelId == channelId && b.Format == format).ExecuteDeleteAsync(ct);
        for (var chunk = 0; ; chunk++)
        {
            var buffer = new byte[ChunkBytes];
            var filled = await content.ReadAtLeastAsync(buffer, ChunkBytes, throwOnEndOfStream: false, ct);
            if (filled == 0 && chunk > 0)
            {
                return;
            }
            var row = db.TranscriptBlobs.Add(new TranscriptBlob { ChannelId = channelId, Format = format, Chunk = chunk, Content = buffer[..filled] });
            await db.SaveChangesAsync(ct);
            row.State = EntityState.Detached;
            if (filled < ChunkBytes)
            {
                return;
            }
        }
    }

    /// <summary>Copies a stored rendering to <paramref name="output"/>, chunk by chunk; false when there is none.</summary>
    public static async Task<bool> CopyToAsync(IncidentsDbContext db, Guid channelId, string format, Stream output, CancellationToken ct)
    {
        var chunks = await db.TranscriptBlobs.Where(b => b.ChannelId == channelId && b.Format == format)
            .OrderBy(b => b.Chunk).Select(b => b.Chunk).ToListAsync(ct);
        foreach (var chunk in chunks)
        {
            var content = await db.TranscriptBlobs.Where(b => b.ChannelId == channelId && b.Format == format && b.Chunk == chunk)
                .Select(b => b.Content).SingleAsync(ct);
            await output.WriteAsync(content, ct);
        }
        return chunks.Count > 0;
    }
}
