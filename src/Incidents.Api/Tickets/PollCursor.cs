namespace Incidents.Tickets;

/// <summary>
/// Where the poller of one ticket system instance stands: the newest change it has fully handled (in the ticket
/// system's own clock), and which service instance may poll it now. One row per source; the lease keeps several
/// service instances from polling the same system at once (the delivery index keeps them from double-posting anyway).
/// </summary>
internal sealed class PollCursor
{
    public required string Source { get; init; }

    /// <summary>Update time (ticket system's clock) up to which every change was handled; null before the first poll.</summary>
    public DateTimeOffset? Cursor { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>When the last complete poll ended (service clock).</summary>
    public DateTimeOffset? PolledAt { get; set; }
}
