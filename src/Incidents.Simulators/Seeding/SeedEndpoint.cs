using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Seeding;

/// <summary><c>POST /_sim/seed</c>: 200 with the counts, 400 for an invalid body, 404 for an unknown room.</summary>
internal static class SeedEndpoint
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task HandleAsync(HttpContext context, RocketChatState state)
    {
        SeedRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<SeedRequest>(context.Request.Body, Web, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await JsonWriter.WriteAsync(context.Response, 400, new JsonObject { ["error"] = ex.Message });
            return;
        }

        if ((request is null ? "a JSON object is required" : request.Problem()) is { } problem)
        {
            await JsonWriter.WriteAsync(context.Response, 400, new JsonObject { ["error"] = problem });
            return;
        }

        if (state.Room(request!.Room!) is not { } room)
        {
            await JsonWriter.WriteAsync(context.Response, 404, new JsonObject { ["error"] = $"Unknown room '{request.Room}'" });
            return;
        }

        await JsonWriter.WriteAsync(context.Response, 200, ChannelSeeder.Seed(state, request, room));
    }
}
