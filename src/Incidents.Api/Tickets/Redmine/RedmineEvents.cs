using System.Globalization;
using Incidents.Incidents;
using Incidents.Transcripts;

namespace Incidents.Tickets.Redmine;

/// <summary>A ticket event with the delivery id that makes it happen once, however it arrived (poll or webhook).</summary>
internal sealed record RedmineDelivery(string DeliveryId, string EventName, TicketEvent Event);

/// <summary>
/// Turns an issue and its journals into ticket events, the same way for the poller and for the plugin's webhook:
/// the issue's creation is "opened"; a journal whose status change crosses Redmine's closed line is "closed" or
/// "reopened"; public notes are "commented"; other changes are "updated". Delivery ids are <c>issue-{id}:opened</c>
/// and <c>issue-{id}:journal-{journal id}</c>, so an event found twice (overlapping polls, poll and webhook, two
/// service instances) is stored once. Journals written by the integration user or carrying a transcript marker are
/// our own and produce nothing.
/// </summary>
internal sealed class RedmineEvents(string keyPrefix, string publicUrl, IReadOnlyDictionary<int, RedmineStatus> statuses, long? integrationUserId)
{
    /// <summary>Longest note relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    /// <summary>Longest project name kept in the ticket reference (ticket refs are stored in 512 characters).</summary>
    private const int MaxProjectName = 200;

    /// <summary>The state of the issue's fields that journals record, as it was after some journal.</summary>
    private sealed record State(string Subject, string? Description, int StatusId);

    public static string OpenedId(long issueId) => string.Create(CultureInfo.InvariantCulture, $"issue-{issueId}:opened");

    public static string JournalId(long issueId, long journalId) => string.Create(CultureInfo.InvariantCulture, $"issue-{issueId}:journal-{journalId}");

    /// <summary>Whether a status is a closed one; null when the status is not known (the status list is stale or not loaded).</summary>
    public bool? IsClosed(int statusId) => statuses.TryGetValue(statusId, out var s) ? s.IsClosed : null;

    /// <summary>Everything that happened to <paramref name="issue"/> (read with all its journals) at or after <paramref name="since"/>, oldest first.</summary>
    public IEnumerable<RedmineDelivery> Since(RedmineIssue issue, DateTimeOffset since, string via)
    {
        // Journals record old and new values, so the issue's past states follow from its current one, walking back.
        var journals = issue.Journals.OrderBy(j => j.Id).ToList();
        var after = new State[journals.Count];
        var state = new State(issue.Subject, issue.Description, issue.StatusId);
        for (var i = journals.Count - 1; i >= 0; i--)
        {
            after[i] = state;
            state = Before(journals[i], state);
        }
        if (issue.CreatedOn >= since)
        {
            yield return Opened(issue, state, via);
        }
        for (var i = 0; i < journals.Count; i++)
        {
            if (journals[i].CreatedOn >= since && Journal(issue, journals[i], after[i], via) is { } delivery)
            {
                yield return delivery;
            }
        }
    }

    /// <summary>The plugin's "opened": the issue as it was just created.</summary>
    public RedmineDelivery Opened(RedmineIssue issue, string via) => Opened(issue, new State(issue.Subject, issue.Description, issue.StatusId), via);

    /// <summary>The plugin's "updated": one journal, with the issue as it is right after it.</summary>
    public RedmineDelivery? Journal(RedmineIssue issue, RedmineJournal journal, string via) =>
        Journal(issue, journal, new State(issue.Subject, issue.Description, issue.StatusId), via);

    private RedmineDelivery Opened(RedmineIssue issue, State state, string via) =>
        new(OpenedId(issue.Id), $"{via}:issue.opened", new TicketEvent(TicketEventKind.Opened, Snapshot(issue, state), Seconds(issue.CreatedOn), issue.Author?.Name));

    private RedmineDelivery? Journal(RedmineIssue issue, RedmineJournal journal, State state, string via)
    {
        if (IsOwn(journal))
        {
            return null;
        }
        var ticket = Snapshot(issue, state);
        var actor = journal.User?.Name;
        var notes = journal.Notes.ReplaceLineEndings("\n").Trim();
        var change = journal.StatusChange;
        var wasClosed = change is null ? null : Closed(change.OldValue);
        var isClosed = change is null ? null : Closed(change.NewValue);
        TicketEventKind kind;
        string? text = null;
        if (wasClosed == false && isClosed == true)
        {
            kind = TicketEventKind.Closed;
            text = journal.PrivateNotes || notes.Length == 0 ? null : OneLine(notes);
        }
        else if (wasClosed == true && isClosed == false)
        {
            kind = TicketEventKind.Reopened;
        }
        else if (notes.Length > 0 && !journal.PrivateNotes)
        {
            kind = TicketEventKind.Commented;
            text = Comment(issue, journal, notes);
        }
        else if (journal.Details.Count > 0)
        {
            kind = TicketEventKind.Updated;
        }
        else
        {
            return null;
        }
        var name = $"{via}:journal.{kind.ToString().ToLowerInvariant()}";
        return new RedmineDelivery(JournalId(issue.Id, journal.Id), name, new TicketEvent(kind, ticket, OccurredAt(journal), actor, text));
    }

    /// <summary>
    /// Redmine's API shows whole seconds (the plugin milliseconds), so an issue opened and closed, or closed and
    /// reopened, within one second would look simultaneous, and the later change stale. Journal ids grow with time:
    /// within its second a journal is placed by its id (in microseconds, PostgreSQL's precision), after the issue's
    /// creation, the same way on both paths.
    /// </summary>
    private static DateTimeOffset OccurredAt(RedmineJournal journal) =>
        Seconds(journal.CreatedOn).AddTicks(TimeSpan.TicksPerMicrosecond * (1 + (journal.Id % 999_999)));

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>Our own writes: the integration user's journals, and anything carrying a transcript marker.</summary>
    private bool IsOwn(RedmineJournal journal) =>
        (integrationUserId is { } me && journal.User?.Id == me) || journal.Notes.Contains(TranscriptMarker.Prefix, StringComparison.Ordinal);

    private bool? Closed(string? statusId) =>
        int.TryParse(statusId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? IsClosed(id) : null;

    private static State Before(RedmineJournal journal, State after)
    {
        var state = after;
        foreach (var d in journal.Details.Where(d => d.Property == "attr"))
        {
            state = d.Name switch
            {
                "subject" => state with { Subject = d.OldValue ?? "" },
                "description" => state with { Description = d.OldValue },
                "status_id" when int.TryParse(d.OldValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) => state with { StatusId = id },
                _ => state,
            };
        }
        return state;
    }

    private TicketSnapshot Snapshot(RedmineIssue issue, State state)
    {
        var project = issue.ProjectName.Length > MaxProjectName ? issue.ProjectName[..MaxProjectName] : issue.ProjectName;
        var status = statuses.TryGetValue(state.StatusId, out var s) ? s.Name : state.StatusId == issue.StatusId ? issue.StatusName : null;
        return new TicketSnapshot(
            Key: string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}:{issue.Id}"),
            Ref: string.Create(CultureInfo.InvariantCulture, $"{project}#{issue.Id}"),
            Title: state.Subject,
            Url: string.Create(CultureInfo.InvariantCulture, $"{publicUrl}issues/{issue.Id}"),
            Author: issue.Author?.Name ?? "",
            Labels: [.. new[] { issue.Tracker, status, issue.Priority, issue.Category }.OfType<string>().Where(l => l.Length > 0)],
            Assignees: issue.Assignee is { } a ? [a.Name] : [],
            Body: state.Description?.ReplaceLineEndings("\n"),
            IsOpen: IsClosed(state.StatusId) is not true && !(state.StatusId == issue.StatusId && issue.StatusIsClosed == true),
            CreatedAt: issue.CreatedOn);
    }

    private string Comment(RedmineIssue issue, RedmineJournal journal, string notes)
    {
        var who = journal.User?.Name ?? "someone";
        if (notes.Length > MaxRelayedText)
        {
            notes = notes[..MaxRelayedText] + string.Create(CultureInfo.InvariantCulture, $"… (truncated; full note: {publicUrl}issues/{issue.Id}#change-{journal.Id})");
        }
        return $"{who} commented on the ticket:\n{notes}";
    }

    private static string OneLine(string notes)
    {
        var line = notes.ReplaceLineEndings(" ");
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
