namespace Incidents.Tickets;

/// <summary>The configured ticket systems, by source name.</summary>
internal sealed class TicketSystems(IEnumerable<ITicketSystem> systems)
{
    private readonly Dictionary<string, ITicketSystem> _bySource = systems.ToDictionary(s => s.Source, StringComparer.OrdinalIgnoreCase);

    public ITicketSystem? Find(string source) => _bySource.GetValueOrDefault(source);

    public ITicketSystem Get(string source) =>
        Find(source) ?? throw new InvalidOperationException($"ticket system '{source}' is not configured");
}
