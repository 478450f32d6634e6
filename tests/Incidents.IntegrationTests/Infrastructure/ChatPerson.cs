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

    public void Dispose() => _http.Dispose();
}
