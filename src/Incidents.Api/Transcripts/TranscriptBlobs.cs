using Incidents.Data;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Transcripts;

/// <summary>
/// Reads the large renderings (JSON, HTML) out of <c>transcript_blobs</c> in 1 MiB chunks (written by
/// <see cref="TranscriptRendering"/>), so a rendering is never held whole in memory, on either database.
/// </summary>
internal static class TranscriptBlobs
{
    /// <summary>Size of a stored chunk (the last one of a rendering is shorter).</summary>
    public const int ChunkBytes = 1024 * 1024;

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
