using System.Text.Json;
using RestSharp;

namespace Incidents.Sandbox;

/// <summary>The person at the sandbox page, talking in the simulated Rocket.Chat over its REST API like any chat client.</summary>
internal sealed class SandboxChat(SandboxEnvironment sandbox, IHttpClientFactory http)
{
    private readonly Lazy<global::Incidents.Simulators.SimUser> _person = new(() =>
        sandbox.Simulators.RocketChat.Users.FirstOrDefault(u => u.Username == SandboxEnvironment.Person)
        ?? sandbox.Simulators.RocketChat.AddUser(SandboxEnvironment.Person, "You (sandbox)"));

    public async Task<string?> SayAsync(string roomName, string roomId, string text, string? threadId, CancellationToken ct)
    {
        object body = threadId is null
            ? new { channel = "#" + roomName, text } // posting by name joins the public channel first
            : new { roomId, text, tmid = threadId };
        var response = await Client().ExecuteAsync(new RestRequest("api/v1/chat.postMessage", Method.Post).AddJsonBody(body), ct);
        return Error(response);
    }

    public async Task<string?> UploadAsync(string roomName, string roomId, string fileName, string contentType, byte[] bytes, CancellationToken ct)
    {
        var client = Client();
        // Join first (uploads need membership), with a visible message like a person would write.
        var joined = await SayAsync(roomName, roomId, $"uploading {fileName}", null, ct);
        if (joined is not null)
        {
            return joined;
        }
        var media = new RestRequest($"api/v1/rooms.media/{roomId}", Method.Post) { AlwaysMultipartFormData = true }
            .AddFile("file", bytes, fileName, contentType);
        var upload = await client.ExecuteAsync(media, ct);
        if (Error(upload) is { } failed)
        {
            return failed;
        }
        using var doc = JsonDocument.Parse(upload.Content!);
        var fileId = doc.RootElement.GetProperty("file").GetProperty("_id").GetString();
        var confirm = await client.ExecuteAsync(new RestRequest($"api/v1/rooms.mediaConfirm/{roomId}/{fileId}", Method.Post).AddJsonBody(new { msg = "" }), ct);
        return Error(confirm);
    }

    private RestClient Client()
    {
        var client = new RestClient(http.CreateClient("sandbox"), new RestClientOptions(sandbox.Simulators.BaseUrl), disposeHttpClient: true);
        client.AddDefaultHeader("X-User-Id", _person.Value.Id);
        client.AddDefaultHeader("X-Auth-Token", _person.Value.Token);
        return client;
    }

    private static string? Error(RestResponse response) => response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}: {response.Content}";
}
