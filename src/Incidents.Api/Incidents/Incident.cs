namespace Incidents.Incidents;

/// <summary>
/// One ticket of one ticket system. Owns the chat channels of its open periods and decides, as a pure
/// state machine, which side effects a ticket event needs (see <see cref="Apply"/>).
/// </summary>
internal sealed class Incident
{
    public Guid Id { get; init; }
    public required string Source { get; init; }
    public required string TicketKey { get; init; }
    /// <summary>Where the ticket system's write-back API finds the ticket (e.g. "octo/repo#12").</summary>
    public required string TicketRef { get; init; }
    public required string Title { get; set; }
    public required string Url { get; set; }
    public string Author { get; set; } = "";
    public List<string> Labels { get; set; } = [];
    public List<string> Assignees { get; set; } = [];
    public string? Body { get; set; }
    public TicketState State { get; set; }
    /// <summary>Time of the ticket transition that produced <see cref="State"/>; older transitions are stale.</summary>
    public DateTimeOffset StateAt { get; set; }
    /// <summary>Time of the newest ticket snapshot applied to the title/labels/assignees/body.</summary>
    public DateTimeOffset SnapshotAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
    public List<Channel> Channels { get; init; } = [];

    public Channel? CurrentChannel => Channels.Count == 0 ? null : Channels.MaxBy(c => c.Period);

    public static Incident Create(string source, TicketSnapshot ticket, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Source = source,
        TicketKey = ticket.Key,
        TicketRef = ticket.Ref,
        Title = ticket.Title,
        Url = ticket.Url,
        State = TicketState.Closed,
        StateAt = DateTimeOffset.MinValue,
        SnapshotAt = DateTimeOffset.MinValue,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// Applies one ticket event and returns the side effects it needs. Transitions older than the last
    /// applied one are stale and change nothing, so duplicated and reordered deliveries converge.
    /// A close that arrives for a ticket we never saw open still gets its channel and transcript:
    /// the ticket was open for a while, and that period must be archived like any other.
    /// </summary>
    public IReadOnlyList<LifecycleAction> Apply(TicketEvent evt, DateTimeOffset now)
    {
        var isNew = StateAt == DateTimeOffset.MinValue;
        var actions = new List<LifecycleAction>();
        var changes = ApplySnapshot(evt.Ticket, evt.OccurredAt);
        UpdatedAt = now;

        switch (evt.Kind)
        {
            case TicketEventKind.Opened or TicketEventKind.Reopened:
                Transition(TicketState.Open, evt, isNew, now, actions);
                break;
            case TicketEventKind.Closed or TicketEventKind.Gone:
                Transition(TicketState.Closed, evt, isNew, now, actions);
                break;
            case TicketEventKind.Updated or TicketEventKind.Commented:
                if (isNew)
                {
                    var open = evt.Ticket.IsOpen;
                    Transition(open ? TicketState.Open : TicketState.Closed,
                        evt with { OccurredAt = evt.Ticket.CreatedAt }, isNew, now, actions);
                }
                else if (evt.Ticket.IsOpen != (State == TicketState.Open))
                {
                    // State, not event names, decides (ticket-systems.md §0.5): an update that shows the ticket in the
                    // other state is a close or a reopen we were not told about, unless it is older than our state.
                    Transition(evt.Ticket.IsOpen ? TicketState.Open : TicketState.Closed, evt, isNew, now, actions);
                }
                var text = evt.Kind == TicketEventKind.Commented ? evt.Text : UpdateText(evt, changes);
                if (State == TicketState.Open && CurrentChannel is { ClosedAt: null } channel && text is not null)
                {
                    actions.Add(LifecycleAction.Post(channel, text));
                }
                break;
        }
        return actions;
    }

    private void Transition(TicketState target, TicketEvent evt, bool isNew, DateTimeOffset now, List<LifecycleAction> actions)
    {
        if (isNew)
        {
            StateAt = evt.OccurredAt;
            State = target;
            var channel = StartPeriod(target == TicketState.Open ? evt.OccurredAt : evt.Ticket.CreatedAt, now);
            actions.Add(LifecycleAction.Open(channel));
            if (target == TicketState.Closed)
            {
                ClosePeriod(channel, evt, actions);
            }
            return;
        }
        if (evt.OccurredAt <= StateAt)
        {
            return;
        }
        StateAt = evt.OccurredAt;
        if (target == State)
        {
            return;
        }
        State = target;
        if (target == TicketState.Open)
        {
            actions.Add(LifecycleAction.Open(StartPeriod(evt.OccurredAt, now)));
        }
        else if (CurrentChannel is { ClosedAt: null } channel)
        {
            ClosePeriod(channel, evt, actions);
        }
    }

    private Channel StartPeriod(DateTimeOffset openedAt, DateTimeOffset now)
    {
        var channel = new Channel
        {
            Id = Guid.CreateVersion7(now),
            IncidentId = Id,
            Period = Channels.Count + 1,
            Name = ChannelName.For(this, Channels.Count + 1),
            OpenedAt = openedAt,
            CreatedAt = now,
        };
        Channels.Add(channel);
        return channel;
    }

    /// <summary>An operator closes the current period now, whatever the ticket says.</summary>
    public IReadOnlyList<LifecycleAction> ForceClose(DateTimeOffset now)
    {
        var actions = new List<LifecycleAction>();
        if (CurrentChannel is not { ClosedAt: null } channel)
        {
            return actions;
        }
        State = TicketState.Closed;
        StateAt = now > StateAt ? now : StateAt;
        UpdatedAt = now;
        ClosePeriod(channel, now, "Closed by an operator", actions);
        return actions;
    }

    private static void ClosePeriod(Channel channel, TicketEvent evt, List<LifecycleAction> actions)
    {
        var reason = evt.Kind == TicketEventKind.Gone ? "Ticket removed from the ticket system" : "Ticket closed";
        var by = evt.Actor is null ? "" : $" by @{evt.Actor}";
        var detail = string.IsNullOrEmpty(evt.Text) ? "" : $" ({evt.Text})";
        ClosePeriod(channel, evt.OccurredAt, reason + by + detail, actions);
    }

    private static void ClosePeriod(Channel channel, DateTimeOffset at, string why, List<LifecycleAction> actions)
    {
        channel.ClosedAt = at;
        actions.Add(LifecycleAction.Post(channel, $"{why}. The transcript is being archived into the ticket and this channel will be removed."));
        actions.Add(LifecycleAction.Close(channel));
    }

    private List<string> ApplySnapshot(TicketSnapshot ticket, DateTimeOffset at)
    {
        var changes = new List<string>();
        if (at < SnapshotAt)
        {
            return changes;
        }
        if (SnapshotAt != DateTimeOffset.MinValue)
        {
            if (Title != ticket.Title)
            {
                changes.Add($"title is now \"{ticket.Title}\"");
            }
            var added = ticket.Labels.Except(Labels).ToList();
            var removed = Labels.Except(ticket.Labels).ToList();
            if (added.Count + removed.Count > 0)
            {
                changes.Add("labels " + string.Join(", ", added.Select(l => "+" + l).Concat(removed.Select(l => "-" + l))));
            }
            var assigned = ticket.Assignees.Except(Assignees).ToList();
            var unassigned = Assignees.Except(ticket.Assignees).ToList();
            if (assigned.Count + unassigned.Count > 0)
            {
                changes.Add("assignees " + string.Join(", ", assigned.Select(a => "+@" + a).Concat(unassigned.Select(a => "-@" + a))));
            }
            if (Body != ticket.Body)
            {
                changes.Add("description edited");
            }
        }
        SnapshotAt = at;
        Title = ticket.Title;
        Url = ticket.Url;
        if (ticket.Author.Length > 0)
        {
            Author = ticket.Author; // an event that does not name the author (GitLab sends only its id) keeps the known one
        }
        Labels = [.. ticket.Labels];
        Assignees = [.. ticket.Assignees];
        Body = ticket.Body;
        return changes;
    }

    private static string? UpdateText(TicketEvent evt, List<string> changes)
    {
        if (changes.Count == 0)
        {
            return null;
        }
        var by = evt.Actor is null ? "" : $" by @{evt.Actor}";
        return $"Ticket updated{by}: {string.Join("; ", changes)}.";
    }
}

internal enum TicketState
{
    Open,
    Closed,
}
