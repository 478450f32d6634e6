using System.Text.Json;

namespace Incidents.Tickets;

/// <summary>Reading webhook payloads: string fields that may be missing, cleaned of what PostgreSQL cannot store.</summary>
internal static class PayloadJson
{
    /// <summary>A string field of an object (null when missing or not a string); U+0000, which PostgreSQL cannot store in text, becomes U+FFFD.</summary>
    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Clean(v.GetString()!) : null;

    public static string Clean(string text) => text.Replace('\0', '\uFFFD');
}
