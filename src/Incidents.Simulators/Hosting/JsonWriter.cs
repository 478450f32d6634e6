using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.Hosting;

/// <summary>Writes JSON responses.</summary>
internal static class JsonWriter
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = true,
    };

    public static async Task WriteAsync(HttpResponse response, int status, JsonNode body, string contentType = "application/json")
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(Options));
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }
}
