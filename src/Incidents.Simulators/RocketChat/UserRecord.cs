namespace Incidents.Simulators.RocketChat;

internal sealed class UserRecord
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string Name { get; init; }
    public required List<string> Roles { get; init; }
    public required string PrimaryToken { get; init; }
    public HashSet<string> Tokens { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> PersonalAccessTokens { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset CreatedAt { get; init; }

    public bool IsBot => Roles.Contains("bot");

    public bool IsAdmin => Roles.Contains("admin");

    public SimUser ToSnapshot() => new(Id, Username, Name, PrimaryToken, Roles.ToArray());
}
