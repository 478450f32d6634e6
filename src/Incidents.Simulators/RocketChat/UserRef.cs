namespace Incidents.Simulators.RocketChat;

internal sealed record UserRef(string Id, string Username, string? Name);
