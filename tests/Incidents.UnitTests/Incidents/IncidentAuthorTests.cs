using Incidents.Incidents;

namespace Incidents.UnitTests.Incidents;

public sealed class IncidentAuthorTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static TicketSnapshot Ticket(string author) =>
        new("gitlab:1:5", "1#5", "DB outage", "https://gitlab.example.com/o/r/-/issues/5", author, [], [], null, true, Created);

    [Fact]
    public void Apply_LaterEventWithoutAuthor_KeepsTheKnownAuthor()
    {
        var incident = Incident.Create("gitlab", Ticket("alice"), Created);
        incident.Apply(new TicketEvent(TicketEventKind.Opened, Ticket("alice"), Created, "alice"), Created);

        incident.Apply(new TicketEvent(TicketEventKind.Commented, Ticket(""), Created.AddMinutes(1), "bob", "hi"), Created);

        Assert.Equal("alice", incident.Author);
    }

    [Fact]
    public void Apply_LaterEventNamingAnotherAuthor_TakesIt()
    {
        var incident = Incident.Create("gitlab", Ticket("alice"), Created);
        incident.Apply(new TicketEvent(TicketEventKind.Opened, Ticket("alice"), Created, "alice"), Created);

        incident.Apply(new TicketEvent(TicketEventKind.Updated, Ticket("carol"), Created.AddMinutes(1), "carol"), Created);

        Assert.Equal("carol", incident.Author);
    }
}
