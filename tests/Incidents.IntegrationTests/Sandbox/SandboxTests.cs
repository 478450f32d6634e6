using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Incidents.IntegrationTests.Sandbox;

/// <summary>
/// The zero-config first run, as a person does it: the service binary with <c>--sandbox</c> and no configuration at
/// all, in an empty directory (so the embedded database is created from nothing), driven over HTTP through the
/// sandbox page's API from ticket to transcript.
/// </summary>
public class SandboxTests : IAsyncLifetime
{
    private Process? _service;
    private readonly string _directory = Directory.CreateTempSubdirectory("incidents-sandbox-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }

    private string Log => string.Join('\n', _log.TakeLast(40));

    private protected IReadOnlyCollection<string> Output => _log;

    /// <summary>Extra environment for the service process (the JSON-logs test sets Logging__Format).</summary>
    private protected virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "Incidents.Api.dll")}\" --sandbox --urls http://127.0.0.1:{port}")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("RocketChat", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Tickets", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Database", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
        _service = Process.Start(start)!;
        _service.OutputDataReceived += (_, e) => Keep(e.Data);
        _service.ErrorDataReceived += (_, e) => Keep(e.Data);
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        await Until(async () => (await Get("health/ready")).StatusCode == HttpStatusCode.OK, "the sandbox did not become ready");
    }

    [Fact]
    public async Task Sandbox_FromNothing_TicketChannelChatThreadFileCloseTranscript()
    {
        var page = await _http.GetStringAsync("sandbox");
        Assert.Contains("SANDBOX", page);

        var created = await _http.PostAsJsonAsync("sandbox/api/tickets", new { title = "Database is down", body = "db-2 is **unreachable**" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Until(async () => (await Tickets())[0].GetProperty("channelStatus").GetString() == "Open", "the channel did not open");

        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsJsonAsync("sandbox/api/tickets/1/chat", new { text = "looking at it" })).StatusCode);
        var root = (await Chat()).Single(m => m.GetProperty("text").GetString() == "looking at it").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsJsonAsync("sandbox/api/tickets/1/chat", new { text = "found it: disk full", threadId = root })).StatusCode);
        using var form = new MultipartFormDataContent { { new ByteArrayContent("log line 1\nlog line 2\n"u8.ToArray()), "file", "db-2.log" } };
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("sandbox/api/tickets/1/files", form)).StatusCode);
        var comment = await _http.PostAsJsonAsync("sandbox/api/tickets/1/comments", new { text = "rotating logs" });
        Assert.True(comment.StatusCode == HttpStatusCode.Accepted, $"{comment.StatusCode}: {await comment.Content.ReadAsStringAsync()}\n{Log}");
        await Until(async () => (await Chat()).Any(m => m.GetProperty("text").GetString()!.Contains("rotating logs", StringComparison.Ordinal)), "the ticket comment did not reach the channel");

        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("sandbox/api/tickets/1/close", null)).StatusCode);
        await Until(async () => (await Tickets())[0].GetProperty("channelStatus").GetString() == "Removed", "the channel was not removed");

        var comments = await _http.GetFromJsonAsync<JsonElement>("sandbox/api/tickets/1/comments");
        var transcript = Assert.Single(comments.EnumerateArray()).GetProperty("body").GetString()!;
        Assert.Contains("looking at it", transcript);
        Assert.Contains("> found it: disk full", transcript);
        Assert.Contains("db-2.log", transcript);
        var html = await _http.GetStringAsync("sandbox/api/tickets/1/transcript");
        Assert.Contains("found it: disk full", html);
        Assert.True(File.Exists(Path.Combine(_directory, "incidents.db")), "the embedded database was created in the working directory");
    }

    public async Task DisposeAsync()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }
        _service?.Dispose();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<List<JsonElement>> Tickets() => [.. (await _http.GetFromJsonAsync<JsonElement>("sandbox/api/tickets")).EnumerateArray()];

    private async Task<List<JsonElement>> Chat() => [.. (await _http.GetFromJsonAsync<JsonElement>("sandbox/api/tickets/1/chat")).EnumerateArray()];

    private async Task<HttpResponseMessage> Get(string path)
    {
        try
        {
            return await _http.GetAsync(path);
        }
        catch (HttpRequestException)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }

    /// <summary>Waits for a condition the service reaches on its own (its worker runs in the background), with a deadline.</summary>
    private async Task Until(Func<Task<bool>> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(_service is { HasExited: false }, $"{failure}: the service exited");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), failure);
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
