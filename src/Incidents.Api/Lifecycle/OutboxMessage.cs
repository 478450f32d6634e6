namespace Incidents.Lifecycle;

/// <summary>
/// One side effect to perform, durably queued with the state change that caused it. Rows of one incident
/// run strictly in order; rows of different incidents run in parallel, on any instance.
/// </summary>
internal sealed class OutboxMessage
{
    public long Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid ChannelId { get; init; }
    public required string Kind { get; init; }
    public string? Text { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueAt { get; set; }
    /// <summary>Every run, including the ones stopped by a rate limit.</summary>
    public int Attempts { get; set; }
    /// <summary>Runs that failed for another reason than a rate limit; reaching the limit makes the row dead.</summary>
    public int Failures { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public DateTimeOffset? DeadAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>W3C trace parent of the request (or sweep) that queued the row, so its trace continues here.</summary>
    public string? TraceParent { get; init; }
}
