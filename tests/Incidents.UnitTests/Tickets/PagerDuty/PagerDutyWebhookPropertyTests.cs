using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Tickets;
using Incidents.Tickets.PagerDuty;

namespace Incidents.UnitTests.Tickets.PagerDuty;

/// <summary>Reading a PagerDuty delivery never throws, whatever the bytes or the values in a published example.</summary>
public sealed class PagerDutyWebhookPropertyTests
{
    private static readonly string[] EventTypes =
        ["incident.triggered", "incident.resolved", "incident.annotated", "incident.acknowledged", "incident.status_update_published", "pagey.ping", "service.updated", ""];

    private static readonly string[] Paths =
    [
        "event", "event.id", "event.event_type", "event.resource_type", "event.occurred_at", "event.agent", "event.agent.id", "event.agent.summary",
        "event.data", "event.data.id", "event.data.type", "event.data.status", "event.data.title", "event.data.html_url", "event.data.created_at",
        "event.data.assignees", "event.data.teams", "event.data.priority", "event.data.service", "event.data.resolve_reason", "event.data.incident_type",
        "event.data.incident", "event.data.content", "event.data.trimmed", "event.data.message",
    ];

    private static readonly string[] DataFiles =
        ["data.incident.json", "data.incident_note.json", "data.incident_status_update.json", "data.incident_role_assignment.json", "data.incident_task.json"];

    [Property(MaxTest = 1000)]
    public void Read_ArbitraryBytesAndWebhookId_NeverThrows(byte[] body, string? webhookId) =>
        Assert.NotNull(PagerDutyWebhook.Read("pagerduty", "PINCBOT", webhookId, body ?? []));

    [Property(MaxTest = 3000)]
    public Property Read_AnyFieldReplacedByAnyJsonValue_NeverThrows() =>
        Prop.ForAll(Arb.From(Gen.Elements(Paths)), Arb.From(JsonValues()), Arb.From(Gen.Zip(Gen.Elements(EventTypes), Gen.Elements(DataFiles))),
            (path, value, delivery) =>
            {
                var root = PagerDutySamples.Delivery(delivery.Item1, delivery.Item2);
                Set(root, path, value);
                return PagerDutyWebhook.Read("pagerduty", "PINCBOT", "w", PagerDutySamples.Body(root)) is not null;
            });

    [Property(MaxTest = 500)]
    public Property Read_TruncatedDelivery_IsMalformed() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, PagerDutySamples.Bytes("incident.priority_updated.json").Length - 3)), cut =>
            PagerDutyWebhook.Read("pagerduty", null, "w", PagerDutySamples.Bytes("incident.priority_updated.json")[..cut]) is WebhookIntake.Malformed);

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            if (parent[part] is not JsonObject child)
            {
                return;
            }
            parent = child;
        }
        parent[parts[^1]] = value;
    }

    private static Gen<JsonNode?> JsonValues()
    {
        var scalars = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            ArbMap.Default.GeneratorFor<long>().Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Elements("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-45T99:99:99Z", "", "resolved", "incident", "PGR0VU2")
                .Select(s => (JsonNode?)JsonValue.Create(s)));
        return Gen.OneOf(
            scalars,
            scalars.ArrayOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())])),
            scalars.Select(v => (JsonNode?)new JsonObject { ["id"] = v?.DeepClone(), ["summary"] = v?.DeepClone(), ["type"] = v?.DeepClone() }));
    }
}
