using Mediator;

namespace Incidents.Webhooks;

/// <summary>
/// Stores a verified ticket event: the delivery, the incident's new state and the side effects it needs,
/// in one transaction, before the sender gets its answer. No other system is called here. Events that
/// arrive together are written together (<see cref="IngestQueue"/>).
/// </summary>
internal sealed record ReceiveTicketEvent(string Source, string DeliveryId, string EventName, Incidents.TicketEvent Event) : ICommand<ReceiveOutcome>;

internal enum ReceiveOutcome
{
    Accepted,
    Duplicate,
    Ignored,
}

internal sealed class ReceiveTicketEventHandler(IngestQueue queue) : ICommandHandler<ReceiveTicketEvent, ReceiveOutcome>
{
    // The store is not cancelled with the request: once queued, an event is written (or refused) whatever the sender does.
    public async ValueTask<ReceiveOutcome> Handle(ReceiveTicketEvent command, CancellationToken ct) => await queue.SubmitAsync(command);
}
