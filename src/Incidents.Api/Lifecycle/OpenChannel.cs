using System.Text;
using Incidents.Chat;
using Incidents.Data;
using Incidents.Incidents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Lifecycle;

/// <summary>Creates the channel of an open period, sets its topic and posts the ticket's context.</summary>
internal sealed record OpenChannel(Guid ChannelId) : ICommand;

internal sealed class OpenChannelHandler(IncidentsDbContext db, IChatPlatform chat) : ICommandHandler<OpenChannel>
{
    private const int MaxBody = 3000;

    public async ValueTask<Unit> Handle(OpenChannel command, CancellationToken ct)
    {
        var (channel, incident) = await db.ChannelWithIncidentAsync(command.ChannelId, ct);
        if (channel.Status != ChannelStatus.Pending)
        {
            return Unit.Value;
        }
        if (channel.RoomId is null)
        {
            channel.RoomId = await chat.EnsureRoomAsync(channel.Name, $"{incident.Title} — {incident.Url}", ct);
            await db.SaveChangesAsync(ct); // checkpoint: a retry reuses the room
        }
        var earlier = channel.Period == 1 ? null : await db.Channels.AsNoTracking()
            .Where(c => c.IncidentId == incident.Id && c.Period < channel.Period && c.TranscriptUrl != null)
            .OrderByDescending(c => c.Period)
            .Select(c => c.TranscriptUrl)
            .FirstOrDefaultAsync(ct);
        await chat.PostAsync(channel.RoomId, MessageId.For($"{channel.Id:N}:intro"), Intro(incident, channel, earlier), ct);
        channel.Status = ChannelStatus.Open;
        await db.SaveChangesAsync(ct);
        return Unit.Value;
    }

    internal static string Intro(Incident incident, Channel channel, string? earlierTranscript)
    {
        var sb = new StringBuilder();
        sb.Append(channel.Period > 1 ? "**Ticket reopened:** " : "**Ticket:** ")
          .Append('[').Append(incident.Title).Append("](").Append(incident.Url).Append(")\n");
        sb.Append("**Opened by:** @").Append(incident.Author).Append('\n');
        sb.Append("**Labels:** ").Append(incident.Labels.Count == 0 ? "none" : string.Join(", ", incident.Labels)).Append('\n');
        sb.Append("**Assignees:** ").Append(incident.Assignees.Count == 0 ? "none" : string.Join(", ", incident.Assignees.Select(a => "@" + a))).Append('\n');
        if (earlierTranscript is not null)
        {
            sb.Append("**Earlier transcript:** ").Append(earlierTranscript).Append('\n');
        }
        if (!string.IsNullOrWhiteSpace(incident.Body))
        {
            var body = incident.Body.Length > MaxBody ? incident.Body[..MaxBody] + "…" : incident.Body;
            sb.Append('\n').Append(body).Append('\n');
        }
        sb.Append("\nThis channel's transcript is archived into the ticket when the ticket is closed.");
        return sb.ToString();
    }
}
