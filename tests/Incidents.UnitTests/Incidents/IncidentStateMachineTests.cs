using Incidents.Incidents;

namespace Incidents.UnitTests.Incidents;

public sealed class IncidentStateMachineTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Created.AddHours(5);

    private static TicketSnapshot Ticket(bool open = true, string title = "DB outage", string[]? labels = null, string[]? assignees = null) =>
        new("github:1:42", "octo/repo#42", title, "https://github.com/octo/repo/issues/42", "alice",
            labels ?? ["sev1"], assignees ?? [], "body", open, Created);

    private static TicketEvent Evt(TicketEventKind kind, DateTimeOffset at, TicketSnapshot? ticket = null, string? text = null) =>
        new(kind, ticket ?? Ticket(kind is not (TicketEventKind.Closed or TicketEventKind.Gone)), at, "bob", text);

    private static Incident New() => Incident.Create("github", Ticket(), Now);

    [Fact]
    public void Apply_Opened_StartsPeriodOneAndOpensItsChannel()
    {
        var incident = New();
        var actions = incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        var channel = Assert.Single(incident.Channels);
        Assert.Equal(1, channel.Period);
        Assert.Equal(TicketState.Open, incident.State);
        Assert.Equal([LifecycleAction.Open(channel)], actions);
    }

    [Fact]
    public void Apply_ClosedAfterOpened_PostsNoticeThenClosesTheChannel()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        var actions = incident.Apply(Evt(TicketEventKind.Closed, Created.AddHours(1), text: "completed"), Now);
        Assert.Equal([LifecycleAction.PostMessage, LifecycleAction.CloseChannel], actions.Select(a => a.Kind));
        Assert.Equal(TicketState.Closed, incident.State);
        Assert.Equal(Created.AddHours(1), incident.Channels[0].ClosedAt);
    }

    [Fact]
    public void Apply_CloseArrivesBeforeOpen_StillArchivesThatPeriodAndTheLateOpenChangesNothing()
    {
        var incident = New();
        var first = incident.Apply(Evt(TicketEventKind.Closed, Created.AddHours(1)), Now);
        Assert.Equal([LifecycleAction.OpenChannel, LifecycleAction.PostMessage, LifecycleAction.CloseChannel], first.Select(a => a.Kind));
        var late = incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        Assert.Empty(late);
        Assert.Single(incident.Channels);
        Assert.Equal(TicketState.Closed, incident.State);
    }

    [Fact]
    public void Apply_SameTransitionTwice_SecondChangesNothing()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        Assert.Empty(incident.Apply(Evt(TicketEventKind.Opened, Created), Now));
        Assert.Single(incident.Channels);
    }

    [Fact]
    public void Apply_Reopened_StartsASecondPeriodWithItsOwnChannel()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        incident.Apply(Evt(TicketEventKind.Closed, Created.AddHours(1)), Now);
        var actions = incident.Apply(Evt(TicketEventKind.Reopened, Created.AddHours(2)), Now);
        Assert.Equal(2, incident.Channels.Count);
        Assert.Equal(2, incident.CurrentChannel!.Period);
        Assert.NotEqual(incident.Channels[0].Name, incident.Channels[1].Name);
        Assert.Equal([LifecycleAction.Open(incident.Channels[1])], actions);
    }

    [Fact]
    public void Apply_CommentWhileOpen_PostsItIntoTheCurrentChannel()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        var actions = incident.Apply(Evt(TicketEventKind.Commented, Created.AddMinutes(5), text: "@bob commented"), Now);
        var post = Assert.Single(actions);
        Assert.Equal(LifecycleAction.Post(incident.Channels[0], "@bob commented"), post);
    }

    [Fact]
    public void Apply_CommentBeforeOpen_OpensTheIncidentAndPostsTheComment()
    {
        var incident = New();
        var actions = incident.Apply(Evt(TicketEventKind.Commented, Created.AddMinutes(5), text: "early"), Now);
        Assert.Equal([LifecycleAction.OpenChannel, LifecycleAction.PostMessage], actions.Select(a => a.Kind));
        Assert.Empty(incident.Apply(Evt(TicketEventKind.Opened, Created), Now));
    }

    [Fact]
    public void Apply_TitleLabelAndAssigneeEdits_PostOneConciseUpdate()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        var edited = Ticket(title: "DB outage in eu-1", labels: ["sev2"], assignees: ["carol"]);
        var post = Assert.Single(incident.Apply(Evt(TicketEventKind.Updated, Created.AddMinutes(9), edited), Now));
        Assert.Equal("Ticket updated by @bob: title is now \"DB outage in eu-1\"; labels +sev2, -sev1; assignees +@carol.", post.Text);
    }

    [Fact]
    public void Apply_UpdateOlderThanTheSnapshot_DoesNotRollTheTicketBack()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Updated, Created.AddMinutes(10), Ticket(title: "new")), Now);
        incident.Apply(Evt(TicketEventKind.Updated, Created.AddMinutes(5), Ticket(title: "old")), Now);
        Assert.Equal("new", incident.Title);
    }

    [Fact]
    public void Apply_CommentAfterClose_IsNotPosted()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        incident.Apply(Evt(TicketEventKind.Closed, Created.AddHours(1)), Now);
        Assert.Empty(incident.Apply(Evt(TicketEventKind.Commented, Created.AddHours(2), Ticket(open: false), "late"), Now));
    }

    [Fact]
    public void Apply_UpdateShowingTheTicketClosed_ClosesTheChannel()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        var actions = incident.Apply(Evt(TicketEventKind.Updated, Created.AddHours(1), Ticket(open: false)), Now);
        Assert.Equal([LifecycleAction.PostMessage, LifecycleAction.CloseChannel], actions.Select(a => a.Kind));
        Assert.Equal(TicketState.Closed, incident.State);
    }

    [Fact]
    public void Apply_CommentShowingAClosedTicketOpenAgain_ReopensIntoANewPeriod()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        incident.Apply(Evt(TicketEventKind.Closed, Created.AddHours(1)), Now);
        var actions = incident.Apply(Evt(TicketEventKind.Commented, Created.AddHours(2), Ticket(open: true), "back again"), Now);
        Assert.Equal(TicketState.Open, incident.State);
        Assert.Equal(2, incident.Channels.Count);
        Assert.Equal([LifecycleAction.OpenChannel, LifecycleAction.PostMessage], actions.Select(a => a.Kind));
    }

    [Fact]
    public void Apply_StaleUpdateShowingTheOldState_ChangesNothing()
    {
        var incident = New();
        incident.Apply(Evt(TicketEventKind.Opened, Created), Now);
        incident.Apply(Evt(TicketEventKind.Closed, Created.AddHours(1)), Now);
        // An update from before the close still shows the ticket open: it is older than the close, so no reopen.
        Assert.Empty(incident.Apply(Evt(TicketEventKind.Updated, Created.AddMinutes(30), Ticket(open: true)), Now));
        Assert.Equal(TicketState.Closed, incident.State);
        Assert.Single(incident.Channels);
    }
}
