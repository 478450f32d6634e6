using System.Text.Json.Nodes;

namespace Incidents.Simulators.Hosting;

/// <summary>A response produced by a simulator before faults are applied and it is written.</summary>
internal sealed class SimResponse
{
    public required int Status { get; init; }

    public JsonNode? Json { get; init; }

    public byte[]? Bytes { get; init; }

    public string ContentType { get; init; } = "application/json";

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static SimResponse FromJson(int status, JsonNode json) => new() { Status = status, Json = json };

    public async Task WriteAsync(HttpResponse response)
    {
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (Json is not null)
        {
            await JsonWriter.WriteAsync(response, Status, Json, ContentType);
            return;
        }

        response.StatusCode = Status;
        if (Bytes is not null)
        {
            response.ContentType = ContentType;
            response.ContentLength = Bytes.Length;
            await response.Body.WriteAsync(Bytes);
        }
    }
}
