namespace Incidents.Incidents;

/// <summary>One line of an incident's history: a webhook received, an action taken or failed, an operator's command.</summary>
internal sealed class TimelineEntry
{
    public long Id { get; init; }
    public Guid IncidentId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>webhook, action, error or admin.</summary>
    public required string Kind { get; init; }
    public required string Summary { get; init; }
    public double? DurationMs { get; init; }
}
