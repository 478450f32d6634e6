namespace Incidents.Tickets;

/// <summary>The configured ticket system instances, by source name ("github", "jira/site-b").</summary>
internal sealed class TicketSystems(IEnumerable<ITicketSystem> systems)
{
    private readonly Dictionary<string, ITicketSystem> _bySource = systems.ToDictionary(s => s.Source, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ITicketSystem> All => _bySource.Values;

    public ITicketSystem? Find(string source) => _bySource.GetValueOrDefault(source);

    /// <summary>The instance a webhook route names: <c>/webhooks/{system}</c> or <c>/webhooks/{system}/{instance}</c>.</summary>
    public ITicketSystem? Find(string system, string? instance) => Find(instance is null ? system : $"{system}/{instance}");

    public ITicketSystem Get(string source) =>
        Find(source) ?? throw new InvalidOperationException($"ticket system '{source}' is not configured");
}
