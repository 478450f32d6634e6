using System.Security.Cryptography;
using System.Text;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Transcripts;

/// <summary>
/// Renders a captured channel into its three forms — canonical JSON (whose SHA-256 identifies the transcript),
/// comment parts in the ticket system's markup, standalone HTML — plus the manifest, streaming from the database to the
/// database so that neither the history nor a rendering is ever held whole in memory.
/// </summary>
internal sealed class TranscriptRendering(IncidentsDbContext db, DatabaseSetup database, FileLinks links, IOptions<TranscriptOptions> options, TimeProvider time)
{
    /// <summary>Rows of parts and rendering chunks are saved early only once this many bytes wait; the rest is saved with the checkpoint.</summary>
    private const int PendingBytes = 1024 * 1024;

    /// <summary>The HTML of a channel read into memory is spooled in memory too while its files (inline images) stay under this.</summary>
    private const long InMemoryFileBytes = 8 * 1024 * 1024;

    private long _pending;

    /// <summary>
    /// Stores the parts and renderings; returns the transcript row, added but not saved (the caller saves it with its checkpoint,
    /// and with it the parts and chunks not saved yet: a small transcript is written in that one round trip).
    /// </summary>
    /// <param name="first">No earlier attempt can have rendered this channel, so there is nothing to delete first.</param>
    public async Task<RenderedTranscript> RenderAsync(Channel channel, Incident incident, TicketMarkup markup, int maxCommentLength, bool first, CancellationToken ct)
    {
        if (!first)
        {
            // An interrupted earlier attempt may have left some renderings: start them over.
            await db.TranscriptParts.Where(p => p.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
            await db.TranscriptBlobs.Where(b => b.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        }

        // Rendering follows the download of every file, which counts them.
        var files = channel.ExportFiles == 0 ? [] : (await db.CapturedFiles.AsNoTracking().Where(f => f.ChannelId == channel.Id).OrderBy(f => f.FileId)
                .Select(f => new { f.FileId, f.Name, f.ContentType, f.Size, f.Sha256 }).ToListAsync(ct))
            .Select(f => new TranscriptFile(f.FileId, f.Name, f.ContentType, f.Size, f.Sha256 ?? "", f.Sha256 is null ? "" : links.For(channel.Id, f.FileId)))
            .ToList();
        var byId = files.ToDictionary(f => f.FileId, StringComparer.Ordinal);

        // A channel of ordinary size is read once and rendered three times from memory; a huge one streams three times.
        var limit = options.Value.InMemoryMessages;
        var inMemory = channel.ExportMessages <= limit ? await CapturedHistory.ReadAllAsync(database, channel.Id, limit, ct) : null;
        var names = new CapturedHistory.HeaderNames(channel.Name, incident.TicketRef, incident.Title, incident.Url);
        var header = inMemory is null
            ? await CapturedHistory.HeaderAsync(db, channel.Id, names, files.Count, ct)
            : CapturedHistory.Header(inMemory, names, files.Count);
        IAsyncEnumerable<TranscriptEntry> Entries() => inMemory?.ToAsyncEnumerable() ?? CapturedHistory.EntriesAsync(database, channel.Id, ct);

        var (jsonSha, jsonBytes) = await RenderJsonAsync(channel, header, Entries(), files, inMemory is not null, ct);
        var manifest = new TranscriptManifest(header.MessageCount, header.ThreadCount, files, header.First, header.Last, header.Participants, jsonSha);

        // The parts are also kept for publishing in the same attempt, as long as they are few.
        var partCount = 0;
        List<TranscriptPart>? kept = [];
        long keptBytes = 0;
        var budget = TranscriptComments.BodyBudget(markup, maxCommentLength, header);
        await foreach (var body in TranscriptComments.BodiesAsync(markup, Entries(), byId, markup.Manifest(manifest), budget, ct))
        {
            var part = new TranscriptPart { ChannelId = channel.Id, Part = ++partCount, Content = body, Sha256 = TranscriptComments.Sha256(body) };
            db.TranscriptParts.Add(part);
            keptBytes += body.Length * 2L;
            kept = keptBytes <= PendingBytes ? kept : null;
            kept?.Add(part);
            await AddedAsync(body.Length * 2L, ct);
        }

        var htmlBytes = await RenderHtmlAsync(channel, header, Entries(), byId, inMemory is not null && files.Sum(f => f.Size) <= InMemoryFileBytes, ct);
        var transcript = new Transcript
        {
            ChannelId = channel.Id,
            IncidentId = incident.Id,
            MessageCount = header.MessageCount,
            ThreadCount = header.ThreadCount,
            FileCount = files.Count,
            PartCount = partCount,
            Sha256 = jsonSha,
            ManifestJson = manifest.ToJson(),
            JsonBytes = jsonBytes,
            HtmlBytes = htmlBytes,
            CapturedAt = time.GetUtcNow(),
        };
        db.Transcripts.Add(transcript);
        return new RenderedTranscript(transcript, header, kept);
    }

    private async Task<(string Sha256, long Bytes)> RenderJsonAsync(Channel channel, TranscriptHeader header, IAsyncEnumerable<TranscriptEntry> entries,
        List<TranscriptFile> files, bool inMemory, CancellationToken ct)
    {
        await using var spool = Spool(inMemory);
        await JsonTranscript.WriteAsync(spool, header, entries, files, ct);
        spool.Position = 0;
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(spool, ct));
        spool.Position = 0;
        await AddChunksAsync(channel.Id, "json", spool, ct);
        return (sha, spool.Length);
    }

    private async Task<long> RenderHtmlAsync(Channel channel, TranscriptHeader header, IAsyncEnumerable<TranscriptEntry> entries,
        Dictionary<string, TranscriptFile> files, bool inMemory, CancellationToken ct)
    {
        await using var spool = Spool(inMemory);
        await using (var writer = new StreamWriter(spool, new UTF8Encoding(false), 16 * 1024, leaveOpen: true)) // buffers below the large object heap's 85 KB
        {
            await HtmlTranscript.WriteAsync(writer, header, entries, files, ImageBytesAsync, ct);
        }
        spool.Position = 0;
        await AddChunksAsync(channel.Id, "html", spool, ct);
        return spool.Length;

        async Task<byte[]?> ImageBytesAsync(string fileId, CancellationToken token) =>
            await db.CapturedFiles.AsNoTracking().Where(f => f.ChannelId == channel.Id && f.FileId == fileId).Select(f => f.Content).SingleOrDefaultAsync(token);
    }

    /// <summary>
    /// Adds a rendering as <c>transcript_blobs</c> chunks of <see cref="TranscriptBlobs.ChunkBytes"/>, read to its end (an empty
    /// rendering is one empty chunk). Each chunk's array has its exact size: a small rendering allocates no 1 MiB buffer.
    /// </summary>
    private async Task AddChunksAsync(Guid channelId, string format, Stream content, CancellationToken ct)
    {
        for (var chunk = 0; chunk == 0 || content.Position < content.Length; chunk++)
        {
            var buffer = new byte[(int)Math.Min(TranscriptBlobs.ChunkBytes, content.Length - content.Position)];
            await content.ReadExactlyAsync(buffer, ct);
            db.TranscriptBlobs.Add(new TranscriptBlob { ChannelId = channelId, Format = format, Chunk = chunk, Content = buffer });
            await AddedAsync(buffer.Length, ct);
        }
    }

    /// <summary>Saves the waiting rows once they hold <see cref="PendingBytes"/>, and stops tracking them, so a huge rendering never sits in memory.</summary>
    private async Task AddedAsync(long bytes, CancellationToken ct)
    {
        _pending += bytes;
        if (_pending < PendingBytes)
        {
            return;
        }
        await db.SaveChangesAsync(ct);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is TranscriptPart or TranscriptBlob).ToList())
        {
            entry.State = EntityState.Detached;
        }
        _pending = 0;
    }

    /// <summary>
    /// Where a rendering waits on its way to the database: memory for a channel read into memory (for the HTML, only while its
    /// inline images are small too), else a temporary file, so that a huge channel's renderings go to disk, not to memory.
    /// </summary>
    private static Stream Spool(bool inMemory) => inMemory
        ? new MemoryStream()
        : new FileStream(Path.Combine(Path.GetTempPath(), $"incidents-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}

/// <summary>A rendering's transcript row (not saved yet), its header, and its parts when they are small enough to keep for publishing.</summary>
internal sealed record RenderedTranscript(Transcript Row, TranscriptHeader Header, IReadOnlyList<TranscriptPart>? Parts);
