using System.Security.Cryptography;
using Incidents.Chat;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Transcripts;
using Incidents.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Lifecycle;

/// <summary>
/// Ends a period: archive the channel (so nothing can be said after the transcript is taken), capture the
/// whole history into the database, publish the transcript into the ticket, read it back and verify it,
/// and only then delete the channel (or leave it archived, by policy). Each phase is checkpointed in the
/// channel's status and idempotent, so a retry or a restart continues where the last attempt stopped.
/// </summary>
internal sealed record CloseChannel(Guid ChannelId) : ICommand;

internal sealed class CloseChannelHandler(
    IncidentsDbContext db,
    IChatPlatform chat,
    TicketSystems tickets,
    TranscriptCapture capture,
    TranscriptRendering rendering,
    TimeProvider time,
    Telemetry telemetry,
    IOptions<LifecycleOptions> lifecycle) : ICommandHandler<CloseChannel>
{
    public async ValueTask<Unit> Handle(CloseChannel command, CancellationToken ct)
    {
        var (channel, incident) = await db.ChannelWithIncidentAsync(command.ChannelId, ct);
        if (channel.Status == ChannelStatus.Removed)
        {
            return Unit.Value;
        }
        if (channel.Status == ChannelStatus.Pending || channel.RoomId is null)
        {
            throw new InvalidOperationException($"channel {channel.Name} is not created yet");
        }
        var ticket = tickets.Get(incident.Source);

        if (channel.Status == ChannelStatus.Open)
        {
            await chat.ArchiveAsync(channel.RoomId, ct);
            // Saved with the history's first page: archiving again on a retry is harmless (the chat answers "already archived").
            channel.Status = ChannelStatus.Archived;
        }
        RenderedTranscript? rendered = null;
        if (channel.Status == ChannelStatus.Archived)
        {
            var started = time.GetTimestamp();
            // Rendering follows a complete capture, which saves at least one page: with none saved yet, no earlier attempt rendered anything.
            var rendersFirst = channel.ExportPages == 0;
            var files = await capture.CaptureHistoryAsync(channel, ct);
            await capture.DownloadFilesAsync(channel, files, ct);
            rendered = await rendering.RenderAsync(channel, incident, ticket.Markup, ticket.MaxCommentLength, rendersFirst, ct);
            channel.TranscriptHash = rendered.Row.Sha256;
            // Publishing starts right after this checkpoint, so it is marked with it: from here on, a retry looks for parts posted before.
            channel.PublishStarted = true;
            await Checkpoint(channel, ChannelStatus.Captured, ct); // saves the transcript row (and a small transcript's parts) with the checkpoint
            telemetry.Exported(time.GetElapsedTime(started), rendered.Row.MessageCount, rendered.Row.JsonBytes);
        }
        var transcript = rendered?.Row ?? await db.Transcripts.AsNoTracking().SingleAsync(t => t.ChannelId == channel.Id, ct);
        if (channel.Status == ChannelStatus.Captured)
        {
            await PublishAsync(channel, incident, ticket, transcript, rendered, ct);
        }
        if (channel.Status == ChannelStatus.Published)
        {
            await VerifyAsync(channel, incident, ticket, transcript, rendered?.Parts, ct);
        }
        if (channel.Status == ChannelStatus.Verified)
        {
            if (lifecycle.Value.OnClose == "delete")
            {
                await chat.DeleteAsync(channel.RoomId, ct);
            }
            channel.RemovedAt = time.GetUtcNow();
            await Checkpoint(channel, ChannelStatus.Removed, ct);
        }
        return Unit.Value;
    }

    /// <summary>
    /// Posts only the parts the ticket does not have yet, found by their marker. Right after rendering (<paramref name="rendered"/>)
    /// nothing can have been posted, so the listing is skipped, and the header and small parts come from memory.
    /// </summary>
    private async Task PublishAsync(Channel channel, Incident incident, ITicketSystem ticket, Transcript transcript, RenderedTranscript? rendered, CancellationToken ct)
    {
        var posted = new Dictionary<int, TicketComment>();
        var retry = rendered is null && channel.PublishStarted;
        if (retry)
        {
            await foreach (var comment in ticket.FindCommentsAsync(incident.TicketRef, TranscriptMarker.ForChannel(channel.Id), ct))
            {
                if (TranscriptMarker.TryParse(comment.Body, ticket.Markup) is { } parsed && parsed.TranscriptSha256 == transcript.Sha256)
                {
                    posted.TryAdd(parsed.Part, comment with { Body = "" }); // only its id and link are kept
                }
            }
        }
        else if (!channel.PublishStarted)
        {
            channel.PublishStarted = true;
            await db.SaveChangesAsync(ct);
        }
        var header = rendered?.Header ?? await CapturedHistory.HeaderAsync(db, channel.Id,
            new CapturedHistory.HeaderNames(channel.Name, incident.TicketRef, incident.Title, incident.Url), transcript.FileCount, ct);
        for (var i = 1; i <= transcript.PartCount; i++)
        {
            if (posted.ContainsKey(i))
            {
                continue;
            }
            var body = rendered?.Parts?[i - 1].Content
                ?? await db.TranscriptParts.AsNoTracking().Where(p => p.ChannelId == channel.Id && p.Part == i).Select(p => p.Content).SingleAsync(ct);
            var comment = await ticket.AddCommentAsync(incident.TicketRef, TranscriptComments.Comment(ticket.Markup, channel.Id, i, transcript.PartCount, transcript.Sha256, header, body), ct);
            posted[i] = comment with { Body = "" }; // only its id and link are kept
        }
        if (Attaches(ticket, transcript))
        {
            var name = AttachmentName(channel, transcript);
            var existing = retry ? await ticket.FindAttachmentsAsync(incident.TicketRef, name, ct).FirstOrDefaultAsync(ct) : null;
            if (existing is null)
            {
                var html = await HtmlAsync(channel, ct);
                await ticket.AttachAsync(incident.TicketRef, new TicketFile(name, "text/html", html, $"Chat transcript of #{channel.Name} (standalone HTML)"), ct);
            }
        }
        channel.TranscriptCommentIds = [.. posted.OrderBy(p => p.Key).Select(p => p.Value.Id)];
        channel.TranscriptUrl = posted[1].Url;
        await Checkpoint(channel, ChannelStatus.Published, ct);
    }

    /// <summary>
    /// Reads the ticket back: every part must be there with the body hash it was published with, the manifest in
    /// the last part must name this transcript's hash, and every kept file must still hash to its manifest entry.
    /// </summary>
    private async Task VerifyAsync(Channel channel, Incident incident, ITicketSystem ticket, Transcript transcript, IReadOnlyList<TranscriptPart>? parts, CancellationToken ct)
    {
        var marker = ticket.Markup.ManifestStart;
        var stored = parts?.Select(p => new { p.Part, p.Sha256, Manifest = p.Content.Contains(marker, StringComparison.Ordinal) }).ToList()
            ?? await db.TranscriptParts.AsNoTracking().Where(p => p.ChannelId == channel.Id)
                .Select(p => new { p.Part, p.Sha256, Manifest = p.Content.Contains(marker) }).ToListAsync(ct);
        var expected = stored.ToDictionary(p => p.Part, p => p.Sha256);
        // Only the parts that hold the manifest are kept in memory; the others are checked and dropped.
        var manifestFrom = stored.Where(p => p.Manifest).Select(p => (int?)p.Part).Max() ?? transcript.PartCount;
        var found = new HashSet<int>();
        var tail = new SortedDictionary<int, string>();
        await foreach (var comment in ticket.FindCommentsAsync(incident.TicketRef, TranscriptMarker.ForChannel(channel.Id), ct))
        {
            if (TranscriptMarker.TryParse(comment.Body, ticket.Markup) is { } parsed && parsed.TranscriptSha256 == transcript.Sha256 && parsed.Parts == transcript.PartCount
                && expected.TryGetValue(parsed.Part, out var sha) && parsed.BodySha256() == sha && found.Add(parsed.Part)
                && parsed.Part >= manifestFrom)
            {
                tail[parsed.Part] = parsed.Body;
            }
        }
        var missing = Enumerable.Range(1, transcript.PartCount).Where(i => !found.Contains(i)).ToList();
        if (missing.Count > 0)
        {
            await FailAsync(channel, $"transcript verification failed: part(s) {string.Join(", ", missing)} of {transcript.PartCount} are missing from the ticket or do not match their hash", ct);
        }
        var manifestText = TranscriptComments.ManifestText(ticket.Markup, [.. tail.Values]);
        var manifest = manifestText is null ? null : ticket.Markup.ReadManifest(manifestText);
        if (manifest?.JsonSha256 != transcript.Sha256)
        {
            await FailAsync(channel, "transcript verification failed: the manifest in the ticket does not name this transcript's SHA-256", ct);
        }
        foreach (var file in manifest!.Files.Where(f => f.Sha256.Length > 0))
        {
            var content = await db.CapturedFiles.AsNoTracking().Where(f => f.ChannelId == channel.Id && f.FileId == file.FileId).Select(f => f.Content).SingleOrDefaultAsync(ct);
            if (content is null || Convert.ToHexStringLower(SHA256.HashData(content)) != file.Sha256)
            {
                await FailAsync(channel, $"transcript verification failed: file {file.Name} is not kept intact", ct);
            }
        }
        if (Attaches(ticket, transcript))
        {
            var name = AttachmentName(channel, transcript);
            var attached = await ticket.FindAttachmentsAsync(incident.TicketRef, name, ct).FirstOrDefaultAsync(ct);
            var expectedSha = Convert.ToHexStringLower(SHA256.HashData(await HtmlAsync(channel, ct)));
            if (attached is null || Convert.ToHexStringLower(SHA256.HashData(await ticket.ReadAttachmentAsync(incident.TicketRef, attached, ct))) != expectedSha)
            {
                await FailAsync(channel, $"transcript verification failed: the attached {name} is {(attached is null ? "missing from the ticket" : "not the file that was attached")}", ct);
            }
        }
        channel.LastError = null;
        await Checkpoint(channel, ChannelStatus.Verified, ct);
    }

    /// <summary>The standalone HTML rendering goes into the ticket as a file where the system takes attachments of its size.</summary>
    private static bool Attaches(ITicketSystem ticket, Transcript transcript) =>
        ticket.MaxAttachmentBytes > 0 && transcript.HtmlBytes > 0 && transcript.HtmlBytes <= ticket.MaxAttachmentBytes;

    /// <summary>Names the period and the transcript, so a retry finds its own file and a re-export never collides with it.</summary>
    private static string AttachmentName(Channel channel, Transcript transcript) => $"{channel.Name}-transcript-{transcript.Sha256[..8]}.html";

    private async Task<byte[]> HtmlAsync(Channel channel, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await TranscriptBlobs.CopyToAsync(db, channel.Id, "html", buffer, ct);
        return buffer.ToArray();
    }

    private async Task FailAsync(Channel channel, string reason, CancellationToken ct)
    {
        channel.LastError = reason;
        await db.SaveChangesAsync(ct);
        throw new TranscriptVerificationException(reason);
    }

    private async Task Checkpoint(Channel channel, ChannelStatus status, CancellationToken ct)
    {
        channel.Status = status;
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class TranscriptVerificationException(string message) : Exception(message);
