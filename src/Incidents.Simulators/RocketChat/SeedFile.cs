namespace Incidents.Simulators;

/// <summary>A file attached to a seeded message.</summary>
public sealed record SeedFile(string Name, string ContentType, byte[] Content);
