using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Faults;

/// <summary><c>GET|POST /_sim/faults</c> and <c>POST /_sim/reset</c> for campaigns against the standalone process.</summary>
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
            default:
                await JsonWriter.WriteAsync(context.Response, 404, new JsonObject { ["error"] = "Unknown simulator admin endpoint" });
                return;
        }
    }

    private static JsonObject Describe(FaultControls faults) => new()
    {
        ["rocketchat"] = JsonSerializer.SerializeToNode(faults.RocketChat.ToSettings(), Camel),
        ["github"] = JsonSerializer.SerializeToNode(faults.GitHub.ToSettings(), Camel),
    };

    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);
}
