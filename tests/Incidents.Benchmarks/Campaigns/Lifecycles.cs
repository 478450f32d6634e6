namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Ticket lives: opened, two comments, closed; every <c>reopenEvery</c>-th ticket is then reopened, commented and
/// closed again. Times are the ticket's own (one-second resolution like GitHub), minutes apart per ticket.
/// </summary>
internal static class Lifecycles
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Deliveries of ticket <paramref name="number"/> in the order GitHub would send them.</summary>
    public static List<Delivery> Life(TicketPayloads payloads, int number, bool reopen)
    {
        var created = Epoch.AddMinutes(number);
        var life = new List<Delivery>
        {
            payloads.Opened(number, created),
            payloads.Commented(number, created, created.AddSeconds(10), $"first look at incident {number}"),
            payloads.Commented(number, created, created.AddSeconds(20), $"mitigated incident {number}"),
            payloads.Closed(number, created, created.AddSeconds(30)),
        };
        if (reopen)
        {
            life.Add(payloads.Reopened(number, created, created.AddSeconds(40)));
            life.Add(payloads.Commented(number, created, created.AddSeconds(45), $"it came back: incident {number}"));
            life.Add(payloads.Closed(number, created, created.AddSeconds(50)));
        }

        return life;
    }

    public static int Periods(bool reopen) => reopen ? 2 : 1;
}
