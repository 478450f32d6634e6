namespace Incidents.Tickets;

/// <summary>
/// The configured ticket system instances, by source name ("github", "jira/site-b"). An instance is built when it is
/// first asked for in this scope, so a webhook builds only the instance it is addressed to.
/// </summary>
internal sealed class TicketSystems(IEnumerable<TicketSystemFactory> factories, IServiceProvider services)
{
    private readonly Dictionary<string, TicketSystemFactory> _factories = factories.ToDictionary(f => f.Instance.Source, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ITicketSystem> _built = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every configured instance, without building its ticket system.</summary>
    public IEnumerable<TicketInstance> Instances => _factories.Values.Select(f => f.Instance);

    public ITicketSystem? Find(string source)
    {
        if (_built.TryGetValue(source, out var system))
        {
            return system;
        }
        if (!_factories.TryGetValue(source, out var factory))
        {
            return null;
        }
        system = factory.Create(services);
        _built[source] = system;
        return system;
    }

    /// <summary>The instance a webhook route names: <c>/webhooks/{system}</c> or <c>/webhooks/{system}/{instance}</c>.</summary>
    public ITicketSystem? Find(string system, string? instance) => Find(instance is null ? system : $"{system}/{instance}");

    public ITicketSystem Get(string source) =>
        Find(source) ?? throw new InvalidOperationException($"ticket system '{source}' is not configured");
}
