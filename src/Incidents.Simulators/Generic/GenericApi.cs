using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Generic;

/// <summary>
/// The reference receiver of the generic ticket system's write-back contract (docs/generic-webhook.md), under
/// <c>/generic/{receiver}</c>: verifies the service's signatures (and the replay window), stores transcript parts
/// and files, and serves them back, with the documented limits and error bodies. Its checks are written from the
/// document, independently of the service's code.
/// </summary>
internal sealed partial class GenericApi(GenericState state, SimulatorOptions options) : ISimulatorApi
{
    public const string Prefix = "/generic";

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public string EndpointName(HttpRequest request)
    {
        if (HttpMethods.IsPost(request.Method))
        {
            return "post";
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            return "unknown";
        }
        return request.Query.ContainsKey("file_id") ? "files.read" : request.Query.ContainsKey("file_name") ? "files.list" : "parts.list";
    }

    public void CountCall(string endpoint) => state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var receiver = (request.Path.Value ?? "")[Prefix.Length..].Trim('/');
        lock (state.Gate)
        {
            state.Called($"{request.Method} {request.Path.Value}");
        }
        if (HttpMethods.IsPost(request.Method))
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            return Verify(request, receiver, body) ?? Post(request, receiver, body);
        }
        if (HttpMethods.IsGet(request.Method))
        {
            var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
            return Verify(request, receiver, Encoding.ASCII.GetBytes(query)) ?? Get(request, receiver);
        }
        var refused = Error(405, "method_not_allowed", "Only POST and GET are part of the contract.");
        refused.Headers["Allow"] = "GET, POST";
        return refused;
    }

    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var response = Error(429, "rate_limited", $"Too many requests; retry in {retryAfterSeconds} s.");
        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    public SimResponse ServerError() => Error(500, "server_error", "The receiver failed.");

    public SimResponse Unavailable() => Error(503, "unavailable", "The receiver is down.");

    /// <summary>401 unless the timestamp is fresh and one <c>v1=</c> value is the HMAC of <c>{timestamp}.{payload}</c>.</summary>
    private SimResponse? Verify(HttpRequest request, string receiver, byte[] payload)
    {
        var timestamp = request.Headers["X-Incidents-Timestamp"].ToString();
        var signature = request.Headers["X-Incidents-Signature"].ToString();
        if (timestamp.Length is 0 or > 11 || !timestamp.All(char.IsAsciiDigit) || signature.Length == 0)
        {
            return Error(401, "invalid_signature", "X-Incidents-Timestamp and X-Incidents-Signature are required.");
        }
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture));
        if ((options.TimeProvider.GetUtcNow() - sent).Duration() > options.GenericReplayWindow)
        {
            return Error(401, "invalid_signature", "X-Incidents-Timestamp is outside the replay window.");
        }
        string secret;
        lock (state.Gate)
        {
            secret = state.Secret(receiver);
        }
        byte[] signed = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. payload];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        var ok = false;
        foreach (var value in signature.Split(',', StringSplitOptions.TrimEntries))
        {
            if (value.StartsWith("v1=", StringComparison.Ordinal) && value.Length == 67 && HexRegex().IsMatch(value[3..]))
            {
                ok |= CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(value[3..]));
            }
        }
        return ok ? null : Error(401, "invalid_signature", "No v1 signature matches.");
    }

    private SimResponse Post(HttpRequest request, string receiver, byte[] raw)
    {
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(415, "unsupported_media_type", "Content-Type must be application/json.");
        }
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 255)
        {
            return Error(400, "invalid_idempotency_key", "Idempotency-Key is required (1-255 characters).");
        }
        JsonObject json;
        try
        {
            json = JsonNode.Parse(raw) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return Error(400, "invalid_json", e.Message);
        }
        return Str(json, "kind") switch
        {
            "part" => PostPart(receiver, json, key, raw),
            "file" => PostFile(receiver, json, key, raw),
            _ => Invalid("kind", "must be \"part\" or \"file\""),
        };
    }

    private SimResponse PostPart(string receiver, JsonObject json, string key, byte[] raw)
    {
        if (Str(json, "ticket") is not { Length: > 0 } ticket) { return Invalid("ticket", "required string"); }
        if (Str(json, "channel") is not { } channel || !ChannelRegex().IsMatch(channel)) { return Invalid("channel", "32 lowercase hex digits"); }
        if (Int(json, "part") is not { } part || part < 1) { return Invalid("part", "integer >= 1"); }
        if (Int(json, "parts") is not { } parts || parts < part) { return Invalid("parts", "integer >= part"); }
        if (Str(json, "transcript_sha256") is not { } transcript || !Sha256Regex().IsMatch(transcript)) { return Invalid("transcript_sha256", "64 lowercase hex digits"); }
        if (Str(json, "sha256") is not { } sha || !Sha256Regex().IsMatch(sha)) { return Invalid("sha256", "64 lowercase hex digits"); }
        if (Str(json, "body") is not { } body) { return Invalid("body", "required string"); }
        if (body.Length > options.GenericMaxPartLength)
        {
            return Error(413, "too_large", $"body is longer than {options.GenericMaxPartLength} characters.");
        }
        if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))) != sha)
        {
            return Error(422, "sha256_mismatch", "sha256 is not the SHA-256 of body.");
        }
        lock (state.Gate)
        {
            if (state.PartByKey(receiver, key) is { } earlier)
            {
                return earlier.Ticket == ticket && earlier.Sha256 == sha
                    ? Stored(200, earlier.Id, earlier.Url)
                    : Error(422, "idempotency_key_reused", "This Idempotency-Key was used for another part.");
            }
            var stored = state.AddPart(receiver, ticket, channel, part, parts, transcript, sha, body, key);
            state.Posted(Encoding.UTF8.GetString(raw));
            return Stored(201, stored.Id, stored.Url);
        }
    }

    private SimResponse PostFile(string receiver, JsonObject json, string key, byte[] raw)
    {
        if (Str(json, "ticket") is not { Length: > 0 } ticket) { return Invalid("ticket", "required string"); }
        if (Str(json, "file_name") is not { Length: > 0 and <= 255 } name) { return Invalid("file_name", "1-255 characters"); }
        if (Str(json, "content_type") is not { Length: > 0 } contentType) { return Invalid("content_type", "required string"); }
        if (Long(json, "size") is not { } size || size < 0) { return Invalid("size", "integer >= 0"); }
        if (Str(json, "sha256") is not { } sha || !Sha256Regex().IsMatch(sha)) { return Invalid("sha256", "64 lowercase hex digits"); }
        if (Str(json, "content_base64") is not { } base64) { return Invalid("content_base64", "required string"); }
        if (size > options.GenericMaxFileBytes)
        {
            return Error(413, "too_large", $"files are limited to {options.GenericMaxFileBytes} bytes.");
        }
        byte[] content;
        try
        {
            content = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return Invalid("content_base64", "not base64");
        }
        if (content.LongLength != size)
        {
            return Invalid("size", "is not the length of the decoded content");
        }
        if (Convert.ToHexStringLower(SHA256.HashData(content)) != sha)
        {
            return Error(422, "sha256_mismatch", "sha256 is not the SHA-256 of the decoded content.");
        }
        lock (state.Gate)
        {
            if (state.FileByKey(receiver, key) is { } earlier)
            {
                return earlier.Ticket == ticket && earlier.Sha256 == sha
                    ? Stored(200, earlier.Id, earlier.Url)
                    : Error(422, "idempotency_key_reused", "This Idempotency-Key was used for another file.");
            }
            var stored = state.AddFile(receiver, ticket, name, contentType, Str(json, "description"), content, sha, key);
            state.Posted(Encoding.UTF8.GetString(raw));
            return Stored(201, stored.Id, stored.Url);
        }
    }

    private SimResponse Get(HttpRequest request, string receiver)
    {
        var ticket = request.Query["ticket"].ToString();
        if (ticket.Length == 0)
        {
            return Invalid("ticket", "the query parameter is required", 400);
        }
        lock (state.Gate)
        {
            if (request.Query.TryGetValue("file_id", out var fileId))
            {
                return state.FilesOf(receiver, ticket).FirstOrDefault(f => f.Id == fileId.ToString()) is { } file
                    ? new SimResponse { Status = 200, Bytes = file.Content, ContentType = file.ContentType }
                    : Error(404, "not_found", "No such file for this ticket.");
            }
            if (request.Query.TryGetValue("file_name", out var fileName))
            {
                var files = new JsonArray([.. state.FilesOf(receiver, ticket).Where(f => f.FileName == fileName.ToString()).Select(f => (JsonNode)new JsonObject
                {
                    ["id"] = f.Id,
                    ["url"] = f.Url,
                    ["file_name"] = f.FileName,
                    ["content_type"] = f.ContentType,
                    ["size"] = f.Content.LongLength,
                    ["sha256"] = f.Sha256,
                    ["stored_at"] = IsoTime.Millis(f.StoredAt),
                })]);
                return SimResponse.FromJson(200, new JsonObject { ["files"] = files });
            }
            var channel = request.Query["channel"].ToString();
            var offset = 0;
            if (request.Query.TryGetValue("cursor", out var cursor)
                && (!int.TryParse(cursor.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
            {
                return Invalid("cursor", "not a cursor this receiver returned", 400);
            }
            var matching = state.PartsOf(receiver, ticket).Where(p => channel.Length == 0 || p.Channel == channel).ToList();
            var page = matching.Skip(offset).Take(options.GenericPageSize).Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Id,
                ["url"] = p.Url,
                ["ticket"] = p.Ticket,
                ["channel"] = p.Channel,
                ["part"] = p.Part,
                ["parts"] = p.Parts,
                ["transcript_sha256"] = p.TranscriptSha256,
                ["sha256"] = p.Sha256,
                ["body"] = p.Body,
                ["stored_at"] = IsoTime.Millis(p.StoredAt),
            });
            var next = offset + options.GenericPageSize;
            return SimResponse.FromJson(200, new JsonObject
            {
                ["parts"] = new JsonArray([.. page]),
                ["next_cursor"] = next < matching.Count ? next.ToString(CultureInfo.InvariantCulture) : null,
            });
        }
    }

    private static SimResponse Stored(int status, string id, string url) => SimResponse.FromJson(status, new JsonObject { ["id"] = id, ["url"] = url });

    private static SimResponse Invalid(string field, string message, int status = 422) =>
        SimResponse.FromJson(status, new JsonObject { ["error"] = "invalid_field", ["field"] = field, ["message"] = $"{field}: {message}" });

    private static SimResponse Error(int status, string code, string message) =>
        SimResponse.FromJson(status, new JsonObject { ["error"] = code, ["message"] = message });

    private static string? Str(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject json, string name) =>
        json[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : null;

    private static int? Int(JsonObject json, string name) => Long(json, name) is { } n and >= int.MinValue and <= int.MaxValue ? (int)n : null;

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HexRegex();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Regex();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ChannelRegex();
}
