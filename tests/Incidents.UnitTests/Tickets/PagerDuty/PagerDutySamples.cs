using System.Text;
using System.Text.Json.Nodes;

namespace Incidents.UnitTests.Tickets.PagerDuty;

/// <summary>
/// PagerDuty's published examples (Payloads/PagerDuty, see SOURCES.md) and deliveries built from them: the whole
/// <c>incident.priority_updated</c> example with another <c>event_type</c>, or with a published <c>event.data</c> object in it.
/// </summary>
internal static class PagerDutySamples
{
    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "PagerDuty", file));

    public static JsonNode Json(string file) => JsonNode.Parse(Bytes(file))!;

    /// <summary>The published delivery with <paramref name="eventType"/> and, when given, a published data object.</summary>
    public static JsonNode Delivery(string eventType, string? dataFile = null)
    {
        var root = Json("incident.priority_updated.json");
        root["event"]!["event_type"] = eventType;
        if (dataFile is not null)
        {
            root["event"]!["data"] = Json(dataFile);
        }
        return root;
    }

    public static byte[] Body(JsonNode root) => Encoding.UTF8.GetBytes(root.ToJsonString());
}
