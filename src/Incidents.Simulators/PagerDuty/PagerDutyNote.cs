namespace Incidents.Simulators;

/// <summary>Point-in-time copy of an incident note.</summary>
public sealed record PagerDutyNote(string Id, string IncidentId, string UserId, string Content, DateTimeOffset CreatedAt);

/// <summary>A user of the simulated PagerDuty account (notes are written as the user the From header names).</summary>
public sealed record PagerDutyUser(string Id, string Name, string Email);
