using System.Text.RegularExpressions;

namespace Incidents.Tickets;

/// <summary>
/// One configured ticket system: the system (e.g. "jira") and an instance of it (two Jira sites are two
/// instances). The instance configured directly under <c>Tickets:{System}</c> is the default one and is
/// reached at <c>/webhooks/{system}</c>; named instances live under <c>Tickets:{System}:Instances:{name}</c>
/// and are reached at <c>/webhooks/{system}/{name}</c>.
/// </summary>
internal sealed partial record TicketInstance(string System, string? Name, string Section)
{
    public const string InstancesKey = "Instances";

    /// <summary>Stored source name, route and prefix of canonical ticket keys: "jira" or "jira/site-b".</summary>
    public string Source => Name is null ? System : $"{System}/{Name}";

    /// <summary>Prefix of this instance's canonical ticket keys, so two instances never share a key.</summary>
    public string KeyPrefix => Source;

    public static bool IsValidName(string name) => NameRegex().IsMatch(name) && name != "dry-run";

    /// <summary>The default instance (when its section holds any key) and every named instance of a system.</summary>
    public static IEnumerable<TicketInstance> Discover(IConfiguration configuration, string system, string section)
    {
        var root = configuration.GetSection(section);
        if (root.GetChildren().Any(c => c.Key != InstancesKey))
        {
            yield return new TicketInstance(system, null, section);
        }
        foreach (var child in root.GetSection(InstancesKey).GetChildren())
        {
            if (!IsValidName(child.Key))
            {
                throw new InvalidOperationException(
                    $"'{section}:{InstancesKey}:{child.Key}': instance names are 1-32 lowercase letters, digits or '-' (and not 'dry-run'), because they appear in webhook URLs and ticket keys");
            }
            yield return new TicketInstance(system, child.Key, $"{section}:{InstancesKey}:{child.Key}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex NameRegex();
}
