using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat;

/// <summary>A REST route <c>/api/v1/{Name}[/{arg}...]</c>.</summary>
internal sealed record RcEndpoint(string Name, string Method, Func<RcCall, JsonObject> Handler)
{
    public bool RequiresAuth { get; init; } = true;

    /// <summary>Allowed query (GET) or body (POST) keys; null = not validated.</summary>
    public IReadOnlySet<string>? Params { get; init; }

    public int MinVersion { get; init; } = 6;

    public int MaxVersion { get; init; } = int.MaxValue;

    public int PathArgs { get; init; }

    public bool Multipart { get; init; }

    public static IReadOnlySet<string> Keys(params string[] keys) => new HashSet<string>(keys, StringComparer.Ordinal);
}
