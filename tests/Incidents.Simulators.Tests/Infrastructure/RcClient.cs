using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Incidents.Simulators.Tests.Infrastructure;

/// <summary>HttpClient for the Rocket.Chat simulator acting as one user.</summary>
public sealed class RcClient(Uri baseUrl, SimUser? user) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl };

    public HttpClient Http => _http;

    public async Task<ApiResult> GetAsync(string endpoint, CancellationToken ct = default)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, $"api/v1/{endpoint}"));
        return await ApiResult.ReadAsync(await _http.SendAsync(request, ct));
    }

    public async Task<ApiResult> PostAsync(string endpoint, object body, CancellationToken ct = default)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Post, $"api/v1/{endpoint}") { Content = JsonContent.Create(body) });
        return await ApiResult.ReadAsync(await _http.SendAsync(request, ct));
    }

    public async Task<ApiResult> PostMultipartAsync(string endpoint, MultipartFormDataContent content)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Post, $"api/v1/{endpoint}") { Content = content });
        return await ApiResult.ReadAsync(await _http.SendAsync(request));
    }

    public async Task<ApiResult> DownloadAsync(string path)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')));
        return await ApiResult.ReadAsync(await _http.SendAsync(request));
    }

    /// <summary>Creates a room and returns its id.</summary>
    public async Task<string> CreateRoomAsync(string name, string type = "c", params string[] members)
    {
        var result = await PostAsync(type == "c" ? "channels.create" : "groups.create", new { name, members });
        Assert.True(result.Status == System.Net.HttpStatusCode.OK, result.Text);
        return result.Json[type == "c" ? "channel" : "group"]!["_id"]!.GetValue<string>();
    }

    public async Task<JsonObject> PostMessageAsync(string roomId, string text, string? tmid = null)
    {
        object body = tmid is null ? new { roomId, text } : new { roomId, text, tmid };
        var result = await PostAsync("chat.postMessage", body);
        Assert.True(result.Status == System.Net.HttpStatusCode.OK, result.Text);
        return result.Json["message"]!.AsObject();
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (user is not null)
        {
            request.Headers.Add("X-User-Id", user.Id);
            request.Headers.Add("X-Auth-Token", user.Token);
        }

        return request;
    }
}
