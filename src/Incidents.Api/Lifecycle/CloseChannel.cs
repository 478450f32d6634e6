using Incidents.Chat;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Transcripts;
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
    TimeProvider time,
    IOptions<LifecycleOptions> lifecycle) : ICommandHandler<CloseChannel>
{
    public async ValueTask<Unit> Handle(CloseChannel command, CancellationToken ct)
    {
        var channel = await db.Channels.SingleAsync(c => c.Id == command.ChannelId, ct);
        if (channel.Status == ChannelStatus.Removed)
        {
            return Unit.Value;
        }
        if (channel.Status == ChannelStatus.Pending || channel.RoomId is null)
        {
            throw new InvalidOperationException($"channel {channel.Name} is not created yet");
        }
        var incident = await db.Incidents.AsNoTracking().SingleAsync(i => i.Id == channel.IncidentId, ct);
        var ticket = tickets.Get(incident.Source);

        if (channel.Status == ChannelStatus.Open)
        {
            await chat.ArchiveAsync(channel.RoomId, ct);
            await Checkpoint(channel, ChannelStatus.Archived, ct);
        }
        if (channel.Status == ChannelStatus.Archived)
        {
            await CaptureAsync(channel, incident, ticket, ct);
        }
        var transcript = await db.Transcripts.AsNoTracking().SingleAsync(t => t.ChannelId == channel.Id, ct);
        if (channel.Status == ChannelStatus.Captured)
        {
            await PublishAsync(channel, incident, ticket, transcript, ct);
        }
        if (channel.Status == ChannelStatus.Published)
        {
            await VerifyAsync(channel, incident, ticket, transcript, ct);
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

    private async Task CaptureAsync(Channel channel, Incident incident, ITicketSystem ticket, CancellationToken ct)
    {
        var history = new List<ChatMessage>();
        await foreach (var message in chat.ReadHistoryAsync(channel.RoomId!, ct))
        {
            history.Add(message);
        }
        var model = TranscriptModel.Build(channel.Name, incident.Title, incident.Url, history);
        var rendered = MarkdownTranscript.Render(model, channel.Id, ticket.MaxCommentLength);
        db.Transcripts.Add(new Transcript
        {
            ChannelId = channel.Id,
            IncidentId = incident.Id,
            MessageCount = model.MessageCount,
            ThreadCount = model.ThreadCount,
            Sha256 = rendered.Sha256,
            MarkdownParts = [.. rendered.Comments],
            CapturedAt = time.GetUtcNow(),
        });
        channel.TranscriptHash = rendered.Sha256;
        await Checkpoint(channel, ChannelStatus.Captured, ct);
    }

    /// <summary>Posts only the parts the ticket does not have yet, found by their marker.</summary>
    private async Task PublishAsync(Channel channel, Incident incident, ITicketSystem ticket, Transcript transcript, CancellationToken ct)
    {
        var existing = await ticket.FindCommentsAsync(incident.TicketRef, TranscriptMarker.ForChannel(channel.Id), ct);
        var posted = new Dictionary<int, TicketComment>();
        foreach (var comment in existing)
        {
            if (TranscriptMarker.TryParse(comment.Body, out var part, out _, out var sha, out _) && sha == transcript.Sha256)
            {
                posted.TryAdd(part, comment);
            }
        }
        for (var i = 1; i <= transcript.MarkdownParts.Count; i++)
        {
            if (!posted.ContainsKey(i))
            {
                posted[i] = await ticket.AddCommentAsync(incident.TicketRef, transcript.MarkdownParts[i - 1], ct);
            }
        }
        channel.TranscriptCommentIds = [.. posted.OrderBy(p => p.Key).Select(p => p.Value.Id)];
        channel.TranscriptUrl = posted[1].Url;
        await Checkpoint(channel, ChannelStatus.Published, ct);
    }

    /// <summary>Reads the ticket back: every part must be there and the parts together must match the hash.</summary>
    private async Task VerifyAsync(Channel channel, Incident incident, ITicketSystem ticket, Transcript transcript, CancellationToken ct)
    {
        var comments = await ticket.FindCommentsAsync(incident.TicketRef, TranscriptMarker.ForChannel(channel.Id), ct);
        var parts = new SortedDictionary<int, string>();
        foreach (var comment in comments)
        {
            if (TranscriptMarker.TryParse(comment.Body, out var part, out var count, out var sha, out var content)
                && sha == transcript.Sha256 && count == transcript.MarkdownParts.Count)
            {
                parts.TryAdd(part, content);
            }
        }
        var missing = Enumerable.Range(1, transcript.MarkdownParts.Count).Where(i => !parts.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            await FailAsync(channel, $"transcript verification failed: part(s) {string.Join(", ", missing)} of {transcript.MarkdownParts.Count} not found in the ticket", ct);
        }
        var actual = MarkdownTranscript.Hash(parts.Values);
        if (actual != transcript.Sha256)
        {
            await FailAsync(channel, $"transcript verification failed: the ticket's copy hashes to {actual}, expected {transcript.Sha256}", ct);
        }
        channel.LastError = null;
        await Checkpoint(channel, ChannelStatus.Verified, ct);
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
