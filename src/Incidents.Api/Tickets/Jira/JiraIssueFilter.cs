using System.Runtime.CompilerServices;
using Incidents.Incidents;

namespace Incidents.Tickets.Jira;

/// <summary>
/// The optional JQL-free filter: project keys and/or issue type names (case-insensitive). It only decides whether a
/// ticket becomes an incident; an incident that exists keeps receiving its events even when its issue moves to another
/// project or type, so its channel is still closed and archived.
/// </summary>
/// <remarks>
/// <see cref="TicketSnapshot"/> carries neither the project nor the issue type, so the webhook reader records its
/// verdict against the snapshot object it built, and <see cref="Allows"/> reads it back when the same delivery asks
/// whether the ticket is an incident.
/// </remarks>
internal sealed class JiraIssueFilter
{
    private static readonly ConditionalWeakTable<TicketSnapshot, object> FilteredOut = [];

    private readonly HashSet<string> _projects;
    private readonly HashSet<string> _types;

    public JiraIssueFilter(string projectKeys, string issueTypes)
    {
        _projects = Split(projectKeys);
        _types = Split(issueTypes);
    }

    public static JiraIssueFilter None { get; } = new("", "");

    public bool Matches(string? projectKey, string? issueType) =>
        (_projects.Count == 0 || (projectKey is not null && _projects.Contains(projectKey)))
        && (_types.Count == 0 || (issueType is not null && _types.Contains(issueType)));

    /// <summary>Records whether the issue a snapshot describes passed the filter.</summary>
    public static TicketSnapshot Remember(TicketSnapshot snapshot, bool matches)
    {
        if (!matches)
        {
            FilteredOut.AddOrUpdate(snapshot, FilteredOut);
        }
        return snapshot;
    }

    public static bool Allows(TicketSnapshot snapshot) => !FilteredOut.TryGetValue(snapshot, out _);

    private static HashSet<string> Split(string list) =>
        new(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}
