using System.Text;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Tickets.GitLab;

namespace Incidents.UnitTests.Tickets.GitLab;

/// <summary>Every captured GitLab payload (Payloads/GitLab, see SOURCES.md) read exactly as delivered.</summary>
public sealed class GitLabWebhookTests
{
    private static readonly GitLabFilter Everything = new("incidents-bot", IncidentsOnly: false);

    private static byte[] Payload(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "GitLab", file));

    private static WebhookIntake Read(string file, string eventName, GitLabFilter? filter = null) =>
        GitLabWebhook.Read("gitlab", filter ?? Everything, eventName, "delivery-1", Payload(file));

    private static TicketEvent Event(string file, string eventName) => Assert.IsType<WebhookIntake.Event>(Read(file, eventName)).TicketEvent;

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("issue.open.json", "Issue Hook", "Opened", "2026-01-31T18:03:35Z", true)]
    [InlineData("issue.update.json", "Issue Hook", "Updated", "2026-01-31T18:03:39Z", false)]
    [InlineData("issue.close.json", "Issue Hook", "Closed", "2026-01-31T18:03:38Z", false)]
    [InlineData("issue.reopen.json", "Issue Hook", "Reopened", null, true)]
    [InlineData("issue.confidential.open.json", "Confidential Issue Hook", "Opened", null, true)]
    public void Read_HephaestusIssueHooks_MapActionAndState(string file, string eventName, string kind, string? at, bool open)
    {
        var evt = Event(file, eventName);

        Assert.Equal(kind, evt.Kind.ToString());
        Assert.Equal(open, evt.Ticket.IsOpen);
        Assert.Equal("ga84xah", evt.Actor);
        Assert.Equal("ga84xah", evt.Ticket.Author); // the actor is the author (same id)
        Assert.StartsWith("gitlab:246765:", evt.Ticket.Key);
        Assert.StartsWith("246765#", evt.Ticket.Ref);
        Assert.StartsWith("https://gitlab.lrz.de/hephaestustest/demo-repository/-/issues/", evt.Ticket.Url);
        if (at is not null)
        {
            Assert.Equal(At(at), evt.OccurredAt);
        }
    }

    [Fact]
    public void Read_IssueOpen_ReadsTheWholeTicket()
    {
        var ticket = Event("issue.open.json", "Issue Hook").Ticket;

        Assert.Equal(("gitlab:246765:5", "246765#5"), (ticket.Key, ticket.Ref));
        Assert.Equal("Feature: Add user authentication", ticket.Title);
        Assert.Equal("Implement OAuth2 authentication flow", ticket.Body);
        Assert.Equal(["enhancement"], ticket.Labels);
        Assert.Empty(ticket.Assignees); // no "assignees" key when nobody is assigned
        Assert.Equal(At("2026-01-31T19:03:35+01:00"), ticket.CreatedAt);
    }

    [Fact]
    public void Read_IncidentCreatedAsWorkItem_IsAnOpenedIncident()
    {
        var evt = Event("issue_hook__incident_created.json", "Issue Hook");

        Assert.Equal(TicketEventKind.Opened, evt.Kind);
        Assert.Equal(("gitlab:80222147:2", "80222147#2"), (evt.Ticket.Key, evt.Ticket.Ref));
        Assert.Equal("https://gitlab.com/sathwikshetty33-group/mVc/-/issues/2", evt.Ticket.Url);
        Assert.Equal(At("2026-05-28T05:04:31.155Z"), evt.OccurredAt);
        Assert.Equal("sathwikshetty33", evt.Ticket.Author);
    }

    [Fact]
    public void Read_IncidentClosedAsIssue_IsClosedWithItsAssignee()
    {
        var evt = Event("issue_hook__incident_closed.json", "Issue Hook");

        Assert.Equal(TicketEventKind.Closed, evt.Kind);
        Assert.False(evt.Ticket.IsOpen);
        Assert.Equal(["sathwikshetty33"], evt.Ticket.Assignees);
        Assert.Equal(At("2026-05-28T06:11:46.057Z"), evt.OccurredAt); // closed_at
    }

    [Fact]
    public void Read_ConfidentialIncidentUpdate_IsAnUpdateShowingItClosed()
    {
        var evt = Event("confidential_issue_hook__incident_updated.json", "Confidential Issue Hook");

        Assert.Equal(TicketEventKind.Updated, evt.Kind);
        Assert.False(evt.Ticket.IsOpen);
        Assert.Equal(["root"], evt.Ticket.Assignees);
        Assert.Equal("gitlab:1:7", evt.Ticket.Key);
    }

    [Fact]
    public void Read_DocumentationIssueHook_ReadsLabelsAndAssigneesButNotAnAuthorItCannotName()
    {
        var evt = Event("docs.issue_hook.json", "Issue Hook");

        Assert.Equal(TicketEventKind.Opened, evt.Kind);
        Assert.Equal(("gitlab:1:23", "1#23"), (evt.Ticket.Key, evt.Ticket.Ref));
        Assert.Equal(["API"], evt.Ticket.Labels);
        Assert.Equal(["user1"], evt.Ticket.Assignees);
        Assert.Equal("", evt.Ticket.Author); // author_id 51 is not the acting user 1
        Assert.Equal("root", evt.Actor);
    }

    [Fact]
    public void Read_NoteOnIssue_IsACommentWithTheIssueSnapshot()
    {
        var evt = Event("note.issue.create.json", "Note Hook");

        Assert.Equal(TicketEventKind.Commented, evt.Kind);
        Assert.Equal("gitlab:246765:5", evt.Ticket.Key);
        Assert.Equal("@ga84xah commented on the ticket:\nI'll start working on this feature", evt.Text);
        Assert.Equal(At("2026-01-31T19:03:37+01:00"), evt.OccurredAt);
        Assert.Equal(["enhancement"], evt.Ticket.Labels);
        Assert.True(evt.Ticket.IsOpen);
    }

    [Fact]
    public void Read_InternalNote_IsRelayedAsAnInternalNote()
    {
        var evt = Event("note.confidential.issue.create.json", "Confidential Note Hook");

        Assert.Equal(TicketEventKind.Commented, evt.Kind);
        Assert.StartsWith("@ga84xah added an internal note to the ticket:\n", evt.Text);
    }

    [Fact]
    public void Read_DocumentationNote_ReadsUtcTimesAndTheIssueUrlFromTheNoteUrl()
    {
        var evt = Event("docs.note_hook.issue.json", "Note Hook");

        Assert.Equal(TicketEventKind.Commented, evt.Kind);
        Assert.Equal(("gitlab:5:17", "5#17"), (evt.Ticket.Key, evt.Ticket.Ref));
        Assert.Equal(At("2015-05-17T17:06:40Z"), evt.OccurredAt);
        Assert.Equal(At("2015-04-12T14:53:17Z"), evt.Ticket.CreatedAt);
        Assert.Equal("http://example.com/gitlab-org/gitlab-test/issues/17", evt.Ticket.Url);
        Assert.False(evt.Ticket.IsOpen); // a comment on a closed issue
        Assert.Equal("root", evt.Ticket.Author);
    }

    [Theory]
    [InlineData("note.system.json", "Note Hook", "system notes")]
    [InlineData("note.issue.update.json", "Note Hook", "not handled")]
    [InlineData("note.mergerequest.create.json", "Note Hook", "MergeRequest")]
    [InlineData("push.json", "Push Hook", "Push Hook")]
    [InlineData("issue.open.json", "Merge Request Hook", "Merge Request Hook")]
    public void Read_EventsWeDoNotActOn_AreIgnored(string file, string eventName, string reason) =>
        Assert.Contains(reason, Assert.IsType<WebhookIntake.Ignored>(Read(file, eventName)).Reason);

    [Fact]
    public void Read_NoteByTheIntegrationUser_IsAnEcho()
    {
        var bot = new GitLabFilter("GA84XAH", IncidentsOnly: false);

        Assert.IsType<WebhookIntake.Ignored>(Read("note.issue.create.json", "Note Hook", bot));
    }

    [Fact]
    public void Read_IncidentsOnly_IgnoresPlainIssuesButNotIncidents()
    {
        var incidents = new GitLabFilter(null, IncidentsOnly: true);

        Assert.IsType<WebhookIntake.Ignored>(Read("issue.open.json", "Issue Hook", incidents));
        Assert.IsType<WebhookIntake.Ignored>(Read("note.issue.create.json", "Note Hook", incidents));
        Assert.IsType<WebhookIntake.Event>(Read("issue_hook__incident_created.json", "Issue Hook", incidents));
    }

    [Fact]
    public void Read_MissingEventHeader_IsMalformed() =>
        Assert.IsType<WebhookIntake.Malformed>(GitLabWebhook.Read("gitlab", Everything, null, "d", Payload("issue.open.json")));

    [Theory]
    [InlineData("9db5a20d-3bbb-416d-a265-c095052a9348", "0f490e30-2db8-4091-91a1-52fe67960342", "9db5a20d-3bbb-416d-a265-c095052a9348")]
    [InlineData(null, "0f490e30-2db8-4091-91a1-52fe67960342", "0f490e30-2db8-4091-91a1-52fe67960342")]
    [InlineData("", "", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    public void DeliveryId_PrefersIdempotencyKeyThenEventUuidThenBodyHash(string? key, string? uuid, string expected) =>
        Assert.Equal(expected, GitLabWebhook.DeliveryId(key, uuid, Encoding.UTF8.GetBytes("{}")));

    [Fact]
    public void Read_KeyPrefixOfANamedInstance_IsInTheKey() =>
        Assert.Equal("gitlab/selfhosted:246765:5",
            Assert.IsType<WebhookIntake.Event>(GitLabWebhook.Read("gitlab/selfhosted", Everything, "Issue Hook", "d", Payload("issue.open.json"))).TicketEvent.Ticket.Key);
}
