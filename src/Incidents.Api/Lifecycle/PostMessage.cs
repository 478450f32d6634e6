using Incidents.Chat;
using Incidents.Data;
using Incidents.Incidents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Lifecycle;

/// <summary>Posts a ticket update into the period's channel, under an id derived from the outbox row.</summary>
internal sealed record PostMessage(long OutboxId, Guid ChannelId, string Text) : ICommand;

internal sealed class PostMessageHandler(IncidentsDbContext db, IChatPlatform chat) : ICommandHandler<PostMessage>
{
    public async ValueTask<Unit> Handle(PostMessage command, CancellationToken ct)
    {
        // A local, not command.ChannelId, in the query: EF reads a property path by reflection, and the reflection cache of a
        // type no entity holds on to is dropped at every full GC, so its invoke stub was emitted and compiled again and again.
        var id = command.ChannelId;
        var channel = await db.Channels.AsNoTracking().SingleAsync(c => c.Id == id, ct);
        if (channel.Status == ChannelStatus.Pending || channel.RoomId is null)
        {
            throw new InvalidOperationException($"channel {channel.Name} is not created yet");
        }
        // Rows of one incident run in order: past Open, the channel is read-only and being archived.
        if (channel.Status != ChannelStatus.Open)
        {
            return Unit.Value;
        }
        await chat.PostAsync(channel.RoomId, MessageId.For($"outbox:{command.OutboxId}"), command.Text, ct);
        return Unit.Value;
    }
}
