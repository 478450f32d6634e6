namespace Incidents.Webhooks;

/// <summary>A webhook delivery we accepted; unique per (source, delivery id) so redeliveries change nothing.</summary>
internal sealed class Delivery
{
    public long Id { get; init; }
    public required string Source { get; init; }
    public required string DeliveryId { get; init; }
    public required string Event { get; init; }
    public Guid? IncidentId { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}
