using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Incidents.Lifecycle;
using Incidents.Web;
using RestSharp;

namespace Incidents.Chat.RocketChat;

/// <summary>Rocket.Chat REST v1 client (6.x–8.x) as described in shared/specs/rocketchat-api.md.</summary>
internal sealed class RocketChatClient : IChatPlatform
{
    private const string System = "rocketchat";
    private readonly RestClient _rest;
    private readonly RocketChatOptions _options;
    private readonly string _rooms;
    private readonly TimeProvider _time;

    private readonly Telemetry _telemetry;

    public RocketChatClient(HttpClient http, IOptions<RocketChatOptions> options, TimeProvider time, Telemetry telemetry)
    {
        _telemetry = telemetry;
        _options = options.Value;
        _time = time;
        _rooms = _options.PrivateChannels ? "groups" : "channels";
        _rest = new RestClient(http, new RestClientOptions(_options.Url!) { ThrowOnAnyError = false, Timeout = _options.Timeout }, disposeHttpClient: false);
        _rest.AddDefaultHeader("X-User-Id", _options.UserId);
        _rest.AddDefaultHeader("X-Auth-Token", _options.AuthToken);
    }

    public async Task<string> EnsureRoomAsync(string name, string topic, CancellationToken ct)
    {
        var body = new Dictionary<string, object>
        {
            ["name"] = name,
            ["members"] = Array.Empty<string>(),
            ["readOnly"] = false,
            ["extraData"] = new Dictionary<string, object> { ["topic"] = topic, ["broadcast"] = false, ["encrypted"] = false },
        };
        var created = await CallAsync(Post($"api/v1/{_rooms}.create", body), ct, tolerate: ["error-duplicate-channel-name"]);
        if (created.Ok)
        {
            return created.Root.GetProperty(RoomKey).GetProperty("_id").GetString()!;
        }
        // An earlier attempt created it (its answer was lost): adopt it, but only if the bot created it.
        var info = await CallAsync(Get($"api/v1/{_rooms}.info").AddQueryParameter("roomName", name), ct);
        var room = info.Root.GetProperty(RoomKey);
        var creator = room.TryGetProperty("u", out var u) && u.TryGetProperty("_id", out var uid) ? uid.GetString() : null;
        if (creator != _options.UserId)
        {
            throw new ExternalCallException(System, $"a room named '{name}' already exists and was not created by the bot", permanent: true);
        }
        return room.GetProperty("_id").GetString()!;
    }

    public async Task PostAsync(string roomId, string messageId, string text, CancellationToken ct)
    {
        var result = await CallAsync(Post("api/v1/chat.sendMessage", new { message = new { _id = messageId, rid = roomId, msg = text } }), ct, tolerateAnyError: true);
        if (result.Ok)
        {
            return;
        }
        // A retry after a lost answer: the message with our id is already there.
        var existing = await CallAsync(Get("api/v1/chat.getMessage").AddQueryParameter("msgId", messageId), ct, tolerateAnyError: true);
        if (existing.Ok && existing.Root.TryGetProperty("message", out var m) && m.GetProperty("rid").GetString() == roomId)
        {
            return;
        }
        throw result.ToException();
    }

    public async Task ArchiveAsync(string roomId, CancellationToken ct) =>
        await CallAsync(Post($"api/v1/{_rooms}.archive", new { roomId }), ct, tolerate: ["error-room-archived"]);

    public async Task DeleteAsync(string roomId, CancellationToken ct) =>
        await CallAsync(Post($"api/v1/{_rooms}.delete", new { roomId }), ct, tolerate: ["error-room-not-found"]);

    /// <summary>
    /// One step of the paging algorithm of rocketchat-api.md §2.7: newest first with
    /// <c>showThreadMessages=true</c> (thread replies come in the same pass); each page continues at the oldest
    /// timestamp seen, inclusively, dropping ids already returned; a page that is entirely one instant is
    /// continued with offsets inside that instant.
    /// </summary>
    public async Task<HistoryPage> ReadHistoryPageAsync(string roomId, HistoryCursor cursor, CancellationToken ct)
    {
        var size = _options.HistoryPageSize;
        var seen = cursor.Seen.ToHashSet(StringComparer.Ordinal);
        if (cursor.Instant is { } instant)
        {
            var burst = await HistoryPageAsync(roomId, instant, instant, inclusive: true, cursor.Offset, size, ct);
            var fresh = burst.Where(m => !seen.Contains(m.Id)).ToList();
            if (burst.Count < size)
            {
                return new HistoryPage(fresh, new HistoryCursor(instant, Inclusive: false, Instant: null, 0, []));
            }
            return new HistoryPage(fresh, cursor with { Offset = cursor.Offset + burst.Count, Seen = [.. seen.Concat(burst.Select(m => m.Id)).Distinct()] });
        }

        var page = await HistoryPageAsync(roomId, cursor.Latest, oldest: null, cursor.Inclusive, offset: 0, size, ct);
        var messages = page.Where(m => !seen.Contains(m.Id)).ToList();
        if (page.Count < size)
        {
            return new HistoryPage(messages, null);
        }
        var oldest = page[^1];
        var boundary = oldest.RawTimestamp ?? Iso(oldest.Timestamp);
        if (page.TrueForAll(m => m.Timestamp == oldest.Timestamp))
        {
            // At least a page in one millisecond: page inside that instant from its start.
            return new HistoryPage(messages, new HistoryCursor(boundary, Inclusive: true, Instant: boundary, Offset: 0, [.. seen.Concat(page.Select(m => m.Id)).Distinct()]));
        }
        return new HistoryPage(messages, new HistoryCursor(boundary, Inclusive: true, Instant: null, 0,
            [.. page.Where(m => m.Timestamp == oldest.Timestamp).Select(m => m.Id)]));
    }

    public async Task<FileDownload> DownloadFileAsync(string url, long maxBytes, CancellationToken ct)
    {
        // Only paths on the configured server: a URL taken from a message is never followed elsewhere.
        if (!Uri.TryCreate(url, UriKind.Relative, out _) || !url.StartsWith('/') || url.StartsWith("//", StringComparison.Ordinal))
        {
            return new FileDownload(null, "its link is not a path on the chat server, so it was not fetched");
        }
        var response = await _rest.ExecuteAsync(new RestRequest(url.TrimStart('/'), Method.Get), ct);
        _telemetry.ApiCall(System, (int)response.StatusCode);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ExternalCallException(System, "file download rate limited", 429, RateLimit.ResetAt(response, _time.GetUtcNow()));
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return new FileDownload(null, "the chat server no longer has this file");
        }
        if (!response.IsSuccessStatusCode || response.RawBytes is null)
        {
            throw new ExternalCallException(System, $"file download answered HTTP {(int)response.StatusCode}", (int)response.StatusCode);
        }
        return response.RawBytes.LongLength > maxBytes
            ? new FileDownload(null, $"larger than the {maxBytes}-byte limit")
            : new FileDownload(response.RawBytes, null);
    }

    public string RoomLink(string name) =>
        new Uri(_options.Url!, $"{(_options.PrivateChannels ? "group" : "channel")}/{Uri.EscapeDataString(name)}").ToString();

    private string RoomKey => _options.PrivateChannels ? "group" : "channel";

    private async Task<List<ChatMessage>> HistoryPageAsync(string roomId, string? latest, string? oldest, bool inclusive, int offset, int count, CancellationToken ct)
    {
        var request = Get($"api/v1/{_rooms}.history")
            .AddQueryParameter("roomId", roomId)
            .AddQueryParameter("count", count.ToString(CultureInfo.InvariantCulture))
            .AddQueryParameter("showThreadMessages", "true");
        if (latest is not null)
        {
            request.AddQueryParameter("latest", latest);
        }
        if (oldest is not null)
        {
            request.AddQueryParameter("oldest", oldest);
        }
        if (inclusive)
        {
            request.AddQueryParameter("inclusive", "true");
        }
        if (offset > 0)
        {
            request.AddQueryParameter("offset", offset.ToString(CultureInfo.InvariantCulture));
        }
        var result = await CallAsync(request, ct);
        return [.. result.Root.GetProperty("messages").EnumerateArray().Select(RocketChatMessage.Parse)];
    }

    private static string Iso(DateTimeOffset ts) => ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static RestRequest Get(string resource) => new(resource, Method.Get);

    private static RestRequest Post(string resource, object body) => new RestRequest(resource, Method.Post).AddJsonBody(body);

    private async Task<CallResult> CallAsync(RestRequest request, CancellationToken ct, string[]? tolerate = null, bool tolerateAnyError = false)
    {
        RestResponse response;
        try
        {
            response = await _rest.ExecuteAsync(request, ct);
            _telemetry.ApiCall(System, (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            throw new ExternalCallException(System, $"{request.Resource} failed: {e.Message}");
        }
        if (response.ErrorException is TimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ExternalCallException(System, $"{request.Resource} timed out");
        }
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ExternalCallException(System, $"{request.Resource} rate limited", status, RateLimit.ResetAt(response, _time.GetUtcNow()));
        }
        if (status == 0)
        {
            throw new ExternalCallException(System, $"{request.Resource} failed: {response.ErrorMessage}");
        }
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(response.Content ?? "").RootElement;
        }
        catch (JsonException)
        {
            throw new ExternalCallException(System, $"{request.Resource} answered HTTP {status} without JSON", status);
        }
        var success = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
        var result = new CallResult(request.Resource, status, success && status == 200, root);
        if (result.Ok)
        {
            return result;
        }
        if (status == 400 && (tolerateAnyError || (tolerate?.Contains(result.ErrorType) ?? false)))
        {
            return result;
        }
        throw result.ToException();
    }

    private sealed record CallResult(string Resource, int Status, bool Ok, JsonElement Root)
    {
        public string ErrorType => Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty("errorType", out var e) ? e.GetString() ?? "" : "";

        public string Error => Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString() ?? "" : Root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";

        // 4xx other than 408/429 will not get better by retrying the same call; 5xx and timeouts may.
        public ExternalCallException ToException() =>
            new(System, $"{Resource} answered HTTP {Status}: {Error} {ErrorType}".TrimEnd(), Status, permanent: false);
    }
}
