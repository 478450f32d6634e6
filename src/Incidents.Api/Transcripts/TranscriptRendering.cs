using System.Security.Cryptography;
using System.Text;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Transcripts;

/// <summary>
/// Renders a captured channel into its three forms — canonical JSON (whose SHA-256 identifies the transcript),
/// comment parts in the ticket system's markup, standalone HTML — plus the manifest, streaming from the database to the
/// database so that neither the history nor a rendering is ever held whole in memory.
/// </summary>
internal sealed class TranscriptRendering(IncidentsDbContext db, DatabaseSetup database, FileLinks links, TimeProvider time)
{
    /// <summary>Stores the parts and renderings; returns the transcript row, added but not saved (the caller saves it with its checkpoint).</summary>
    public async Task<Transcript> RenderAsync(Channel channel, Incident incident, TicketMarkup markup, int maxCommentLength, CancellationToken ct)
    {
        // An interrupted earlier attempt may have left some renderings: start them over.
        await db.TranscriptParts.Where(p => p.ChannelId == channel.Id).ExecuteDeleteAsync(ct);
        await db.TranscriptBlobs.Where(b => b.ChannelId == channel.Id).ExecuteDeleteAsync(ct);

        var header = await CapturedHistory.HeaderAsync(db, channel.Id, channel.Name, incident.TicketRef, incident.Title, incident.Url, ct);
        var files = (await db.CapturedFiles.AsNoTracking().Where(f => f.ChannelId == channel.Id).OrderBy(f => f.FileId)
                .Select(f => new { f.FileId, f.Name, f.ContentType, f.Size, f.Sha256 }).ToListAsync(ct))
            .Select(f => new TranscriptFile(f.FileId, f.Name, f.ContentType, f.Size, f.Sha256 ?? "", f.Sha256 is null ? "" : links.For(channel.Id, f.FileId)))
            .ToList();
        var byId = files.ToDictionary(f => f.FileId, StringComparer.Ordinal);

        var (jsonSha, jsonBytes) = await RenderJsonAsync(channel, header, files, ct);
        var manifest = new TranscriptManifest(header.MessageCount, header.ThreadCount, files, header.First, header.Last, header.Participants, jsonSha);

        var part = 0;
        var budget = TranscriptComments.BodyBudget(markup, maxCommentLength, header);
        await foreach (var body in TranscriptComments.BodiesAsync(markup, CapturedHistory.EntriesAsync(database, channel.Id, ct), byId, markup.Manifest(manifest), budget, ct))
        {
            var row = db.TranscriptParts.Add(new TranscriptPart { ChannelId = channel.Id, Part = ++part, Content = body, Sha256 = TranscriptComments.Sha256(body) });
            await db.SaveChangesAsync(ct);
            row.State = EntityState.Detached;
        }

        var htmlBytes = await RenderHtmlAsync(channel, header, byId, ct);
        var transcript = new Transcript
        {
            ChannelId = channel.Id,
            IncidentId = incident.Id,
            MessageCount = header.MessageCount,
            ThreadCount = header.ThreadCount,
            FileCount = files.Count,
            PartCount = part,
            Sha256 = jsonSha,
            ManifestJson = manifest.ToJson(),
            JsonBytes = jsonBytes,
            HtmlBytes = htmlBytes,
            CapturedAt = time.GetUtcNow(),
        };
        db.Transcripts.Add(transcript);
        return transcript;
    }

    private async Task<(string Sha256, long Bytes)> RenderJsonAsync(Channel channel, TranscriptHeader header, List<TranscriptFile> files, CancellationToken ct)
    {
        await using var spool = Spool();
        await JsonTranscript.WriteAsync(spool, header, CapturedHistory.EntriesAsync(database, channel.Id, ct), files, ct);
        spool.Position = 0;
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(spool, ct));
        spool.Position = 0;
        await TranscriptBlobs.WriteAsync(db, channel.Id, "json", spool, ct);
        return (sha, spool.Length);
    }

    private async Task<long> RenderHtmlAsync(Channel channel, TranscriptHeader header, Dictionary<string, TranscriptFile> files, CancellationToken ct)
    {
        await using var spool = Spool();
        await using (var writer = new StreamWriter(spool, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            await HtmlTranscript.WriteAsync(writer, header, CapturedHistory.EntriesAsync(database, channel.Id, ct), files, ImageBytesAsync, ct);
        }
        spool.Position = 0;
        await TranscriptBlobs.WriteAsync(db, channel.Id, "html", spool, ct);
        return spool.Length;

        async Task<byte[]?> ImageBytesAsync(string fileId, CancellationToken token) =>
            await db.CapturedFiles.AsNoTracking().Where(f => f.ChannelId == channel.Id && f.FileId == fileId).Select(f => f.Content).SingleOrDefaultAsync(token);
    }

    /// <summary>A temporary file: renderings of huge channels go to disk, not to memory, on their way to the database.</summary>
    private static FileStream Spool() => new(Path.Combine(Path.GetTempPath(), $"incidents-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
        FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
