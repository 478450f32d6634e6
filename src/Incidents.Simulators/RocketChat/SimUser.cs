namespace Incidents.Simulators;

/// <summary>A Rocket.Chat user; <see cref="Token"/> works as <c>X-Auth-Token</c> together with <see cref="Id"/> as <c>X-User-Id</c>.</summary>
public sealed record SimUser(string Id, string Username, string Name, string Token, IReadOnlyList<string> Roles);
