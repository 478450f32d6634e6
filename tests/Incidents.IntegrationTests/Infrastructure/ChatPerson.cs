using System.Net.Http.Json;
using System.Text.Json;
using Incidents.Simulators;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>A person in the chat, talking to the Rocket.Chat simulator over its REST API like any client.</summary>
internal sealed class ChatPerson : IDisposable
{
    private readonly HttpClient _http;
    private readonly SimulatorHost _sims;

    public ChatPerson(SimulatorHost sims, string username)
    {
        _sims = sims;
        var user = sims.RocketChat.Users.FirstOrDefault(u => u.Username == username) ?? sims.RocketChat.AddUser(username, username.ToUpperInvariant());
        _http = new HttpClient { BaseAddress = sims.BaseUrl };
        _http.DefaultRequestHeaders.Add("X-User-Id", user.Id);
        _http.DefaultRequestHeaders.Add("X-Auth-Token", user.Token);
        Username = username;
    }

    public string Username { get; }

    /// <summary>Posts into a public channel by name (which joins it), optionally as a thread reply; returns the message id.</summary>
    public async Task<string> SayAsync(string channelName, string text, string? threadId = null)
    {
        // Rocket.Chat accepts tmid only together with roomId; posting by "#name" joins the channel first.
        object body = threadId is null
            ? new { channel = "#" + channelName, text }
            : new { roomId = _sims.RocketChat.Room(channelName)!.Id, text, tmid = threadId };
        using var response = await _http.PostAsJsonAsync("api/v1/chat.postMessage", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("message").GetProperty("_id").GetString()!;
    }

    public async Task EditAsync(string roomId, string messageId, string text)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/chat.update", new { roomId, msgId = messageId, text });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads a file the 8.x way (rooms.media, then rooms.mediaConfirm); returns the message id.</summary>
    public async Task<string> UploadAsync(string roomId, string fileName, byte[] bytes, string contentType, string? text = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var upload = await _http.PostAsync($"api/v1/rooms.media/{roomId}", form);
        var uploaded = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(upload.IsSuccessStatusCode, uploaded.ToString());
        var fileId = uploaded.GetProperty("file").GetProperty("_id").GetString();
        using var confirm = await _http.PostAsJsonAsync($"api/v1/rooms.mediaConfirm/{roomId}/{fileId}", new { msg = text ?? "" });
        var confirmed = await confirm.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(confirm.IsSuccessStatusCode, confirmed.ToString());
        return confirmed.GetProperty("message").GetProperty("_id").GetString()!;
    }

    public async Task DeleteAsync(string roomId, string messageId) =>
        await Ok(await _http.PostAsJsonAsync("api/v1/chat.delete", new { roomId, msgId = messageId }));

    public async Task ReactAsync(string messageId, string emoji) =>
        await Ok(await _http.PostAsJsonAsync("api/v1/chat.react", new { messageId, emoji }));

    public async Task PinAsync(string messageId) =>
        await Ok(await _http.PostAsJsonAsync("api/v1/chat.pinMessage", new { messageId }));

    private static async Task Ok(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public void Dispose() => _http.Dispose();
}
