using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.Tests.Infrastructure;

/// <summary>A response read completely: status, headers and parsed JSON.</summary>
public sealed record ApiResult(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, string Text)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("Empty body.");

    public JsonObject Object => Json.AsObject();

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static async Task<ApiResult> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return new ApiResult(response.StatusCode, response.Headers, response.Content.Headers, text);
        }
    }
}
