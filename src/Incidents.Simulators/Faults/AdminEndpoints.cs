using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;
using Incidents.Simulators.Seeding;

namespace Incidents.Simulators.Faults;

/// <summary>
/// <c>GET|POST /_sim/faults</c>, <c>POST /_sim/reset</c>, <c>POST /_sim/seed</c>, <c>GET /_sim/calls</c> and <c>GET /_sim/state</c> for campaigns and
/// benchmarks against the standalone process.
/// </summary>
internal static class AdminEndpoints
{
    public static async Task HandleAsync(HttpContext context, SimulatorHost host)
    {
        var request = context.Request;
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        switch (path)
        {
            case "/_sim/faults" when HttpMethods.IsGet(request.Method):
                await JsonWriter.WriteAsync(context.Response, 200, Describe(host.Faults));
                return;
            case "/_sim/faults" when HttpMethods.IsPost(request.Method):
                try
                {
                    var body = await JsonSerializer.DeserializeAsync<Dictionary<string, FaultSettings>>(request.Body, JsonWriter.Options, context.RequestAborted) ?? [];
                    foreach (var (target, settings) in body)
                    {
                        host.Faults[target].Apply(settings);
                    }
                }
                catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
                {
                    await JsonWriter.WriteAsync(context.Response, 400, new JsonObject { ["error"] = ex.Message });
                    return;
                }

                await JsonWriter.WriteAsync(context.Response, 200, Describe(host.Faults));
                return;
            case "/_sim/reset" when HttpMethods.IsPost(request.Method):
                host.Reset();
                await JsonWriter.WriteAsync(context.Response, 200, new JsonObject { ["reset"] = true });
                return;
            case "/_sim/seed" when HttpMethods.IsPost(request.Method):
                await SeedEndpoint.HandleAsync(context, host.RocketChat);
                return;
            case "/_sim/state" when HttpMethods.IsGet(request.Method):
                await StateEndpoint.HandleAsync(context, host);
                return;
            case "/_sim/calls" when HttpMethods.IsGet(request.Method):
                await JsonWriter.WriteAsync(context.Response, 200, new JsonObject
                {
                    ["rocketchat"] = Counts(host.RocketChat.CallCounts),
                    ["github"] = Counts(host.GitHub.CallCounts),
                    ["pagerduty"] = Counts(host.PagerDuty.CallCounts),
                    ["zammad"] = Counts(host.Zammad.CallCounts),
                    ["generic"] = Counts(host.Generic.CallCounts),
                    ["jira"] = Counts(host.Jira.CallCounts),
                    ["gitlab"] = Counts(host.GitLab.CallCounts),
                    ["redmine"] = Counts(host.Redmine.CallCounts),
                });
                return;
            default:
                await JsonWriter.WriteAsync(context.Response, 404, new JsonObject { ["error"] = "Unknown simulator admin endpoint" });
                return;
        }
    }

    private static JsonObject Counts(IReadOnlyDictionary<string, int> counts) =>
        new(counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));

    private static JsonObject Describe(FaultControls faults) => new()
    {
        ["rocketchat"] = JsonSerializer.SerializeToNode(faults.RocketChat.ToSettings(), Camel),
        ["github"] = JsonSerializer.SerializeToNode(faults.GitHub.ToSettings(), Camel),
        ["pagerduty"] = JsonSerializer.SerializeToNode(faults.PagerDuty.ToSettings(), Camel),
        ["zammad"] = JsonSerializer.SerializeToNode(faults.Zammad.ToSettings(), Camel),
        ["generic"] = JsonSerializer.SerializeToNode(faults.Generic.ToSettings(), Camel),
        ["jira"] = JsonSerializer.SerializeToNode(faults.Jira.ToSettings(), Camel),
        ["gitlab"] = JsonSerializer.SerializeToNode(faults.GitLab.ToSettings(), Camel),
        ["redmine"] = JsonSerializer.SerializeToNode(faults.Redmine.ToSettings(), Camel),
    };

    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);
}
