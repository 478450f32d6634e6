using Incidents.Incidents;
using Incidents.Tickets.Redmine;

namespace Incidents.UnitTests.Tickets.Redmine;

/// <summary>An issue and its journals as the poller reads them, turned into ticket events with the issue's state at each one.</summary>
public sealed class RedmineEventsTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly RedmineUser Alice = new(3, "Alice Ops");
    private static readonly RedmineUser Bob = new(4, "Bob Dev");
    private static readonly RedmineUser Bot = new(99, "Incidents Bot");

    private static readonly Dictionary<int, RedmineStatus> Statuses = new()
    {
        [1] = new(1, "New", false), [2] = new(2, "In Progress", false), [5] = new(5, "Closed", true),
    };

    private static readonly RedmineEvents Events = new("redmine/ops", "https://redmine.example.com/", Statuses, Bot.Id);

    private static RedmineJournal J(long id, RedmineUser user, int minute, string notes = "", bool isPrivate = false, params RedmineDetail[] details) =>
        new(id, user, notes, isPrivate, Created.AddMinutes(minute), details);

    private static RedmineDetail Attr(string name, string? from, string? to) => new("attr", name, from, to);

    /// <summary>An issue that went through a comment, a new subject, a close with a note, a reopen, and our own and private journals.</summary>
    private static RedmineIssue Issue() => new(
        7, 1, "Operations", null, "Checkout fails for everyone", "Now with details.\r\nSecond line.", 2, "In Progress", false, "Bug", "High", null, Alice, Bob,
        Created, Created.AddMinutes(6),
        [
            J(10, Alice, 1, "first note"),
            J(11, Alice, 2, details: [Attr("subject", "Checkout fails", "Checkout fails for everyone"), Attr("description", "Short.", "Now with details.\r\nSecond line.")]),
            J(12, Bob, 3, "done\nreally", details: Attr("status_id", "1", "5")),
            J(13, Alice, 4, details: Attr("status_id", "5", "2")),
            J(14, Bot, 5, "incidents:transcript channel=…"),
            J(15, Alice, 6, "customer data", isPrivate: true),
            J(16, Alice, 6),
        ],
        []);

    [Fact]
    public void Since_BeforeCreation_EveryChangeWithTheIssueAsItWasThen()
    {
        var all = Events.Since(Issue(), Created.AddSeconds(-1), "poll").ToList();

        Assert.Equal(["issue-7:opened", "issue-7:journal-10", "issue-7:journal-11", "issue-7:journal-12", "issue-7:journal-13"], all.Select(d => d.DeliveryId));
        Assert.Equal([TicketEventKind.Opened, TicketEventKind.Commented, TicketEventKind.Updated, TicketEventKind.Closed, TicketEventKind.Reopened], all.Select(d => d.Event.Kind));
        Assert.Equal(["Checkout fails", "Checkout fails", "Checkout fails for everyone", "Checkout fails for everyone", "Checkout fails for everyone"], all.Select(d => d.Event.Ticket.Title));
        Assert.Equal(["Short.", "Short.", "Now with details.\nSecond line.", "Now with details.\nSecond line.", "Now with details.\nSecond line."], all.Select(d => d.Event.Ticket.Body));
        Assert.Equal([true, true, true, false, true], all.Select(d => d.Event.Ticket.IsOpen));
        Assert.Equal(["Bug", "New", "High"], all[0].Event.Ticket.Labels);
        Assert.Equal(["Bug", "Closed", "High"], all[3].Event.Ticket.Labels);
        Assert.Equal("Alice Ops commented on the ticket:\nfirst note", all[1].Event.Text);
        Assert.Equal("done really", all[3].Event.Text);
        Assert.Equal("Bob Dev", all[3].Event.Actor);
        Assert.All(all, d => Assert.Equal(("redmine/ops:7", "Operations#7", "https://redmine.example.com/issues/7"), (d.Event.Ticket.Key, d.Event.Ticket.Ref, d.Event.Ticket.Url)));
        Assert.Equal(["poll:issue.opened", "poll:journal.commented", "poll:journal.updated", "poll:journal.closed", "poll:journal.reopened"], all.Select(d => d.EventName));
    }

    [Fact]
    public void Since_AfterSomeJournals_OnlyTheNewerOnesAndNoOpening()
    {
        var recent = Events.Since(Issue(), Created.AddMinutes(3), "poll").Select(d => d.DeliveryId);

        Assert.Equal(["issue-7:journal-12", "issue-7:journal-13"], recent);
    }

    [Fact]
    public void Since_EventsWithinOneSecond_AreOrderedByJournalAfterTheOpening()
    {
        var issue = Issue() with { Journals = [J(41, Alice, 0, details: Attr("status_id", "1", "5")), J(42, Alice, 0, details: Attr("status_id", "5", "2"))], StatusId = 2 };
        var times = Events.Since(issue, Created.AddSeconds(-1), "poll").Select(d => d.Event.OccurredAt).ToList();

        Assert.Equal(3, times.Count);
        Assert.True(times[0] < times[1] && times[1] < times[2], string.Join(", ", times.Select(t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(times, t => Assert.Equal(0, t.Ticks % TimeSpan.TicksPerMicrosecond)); // PostgreSQL keeps microseconds
    }

    [Fact]
    public void Since_UnknownStatus_IsTakenAsOpen()
    {
        var issue = Issue() with { StatusId = 9, StatusName = "Custom", StatusIsClosed = null, Journals = [J(50, Alice, 1, details: Attr("status_id", "2", "9"))] };
        var change = Assert.Single(Events.Since(issue, Created.AddSeconds(30), "poll"));

        Assert.Equal(TicketEventKind.Updated, change.Event.Kind);
        Assert.True(change.Event.Ticket.IsOpen);
        Assert.Contains("Custom", change.Event.Ticket.Labels);
    }

    [Fact]
    public void Journal_LongNote_IsCutWithALinkToTheWholeNote()
    {
        var note = new string('n', 5000);
        var e = Events.Journal(Issue(), J(60, Alice, 7, note), "webhook")!;

        Assert.True(e.Event.Text!.Length < 3700);
        Assert.EndsWith("… (truncated; full note: https://redmine.example.com/issues/7#change-60)", e.Event.Text);
    }
}
