using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;
using Incidents.Simulators.RocketChat.Endpoints;

namespace Incidents.Simulators.RocketChat;

/// <summary>Routes <c>/api/v1/*</c> and <c>/file-upload/*</c>: auth, validation, rate limiting, envelopes.</summary>
internal sealed class RocketChatApi : ISimulatorApi
{
    private const string ApiPrefix = "/api/v1/";
    private readonly RocketChatState _state;
    private readonly SimulatorOptions _options;
    private readonly Dictionary<string, List<RcEndpoint>> _routes = new(StringComparer.Ordinal);

    public RocketChatApi(RocketChatState state, SimulatorOptions options)
    {
        _state = state;
        _options = options;
        Limiter = new RcRateLimiter(options.TimeProvider, options.RateLimitCalls, options.RateLimitWindow);
        var endpoints = AuthEndpoints.All()
            .Concat(RoomEndpoints.All())
            .Concat(ChatEndpoints.All())
            .Concat(HistoryEndpoints.All())
            .Concat(ThreadEndpoints.All())
            .Concat(FileEndpoints.All())
            .Concat(PersonalAccessTokenEndpoints.All())
            .Where(e => options.RocketChatVersion >= e.MinVersion && options.RocketChatVersion <= e.MaxVersion);
        foreach (var endpoint in endpoints)
        {
            if (!_routes.TryGetValue(endpoint.Name, out var list))
            {
                _routes[endpoint.Name] = list = [];
            }

            list.Add(endpoint);
        }
    }

    public RcRateLimiter Limiter { get; }

    public static bool Owns(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/file-upload", StringComparison.Ordinal);

    public string EndpointName(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.StartsWith("/file-upload/", StringComparison.Ordinal))
        {
            return "file-upload";
        }

        return path.StartsWith(ApiPrefix, StringComparison.Ordinal)
            ? path[ApiPrefix.Length..].Split('/')[0]
            : path;
    }

    public void CountCall(string endpoint) => _state.CountCall(endpoint);

    public async Task<SimResponse> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/file-upload", StringComparison.Ordinal))
        {
            return FileDownload.Handle(request, _state);
        }

        var path = request.Path.Value ?? "";
        var segments = path.StartsWith(ApiPrefix, StringComparison.Ordinal)
            ? path[ApiPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries)
            : [];
        var endpoint = segments.Length == 0 || !_routes.TryGetValue(segments[0], out var candidates)
            ? null
            : candidates.Find(e => e.Method == request.Method && e.PathArgs == segments.Length - 1);
        if (endpoint is null)
        {
            return Envelope(RcErrors.NotFound(), null);
        }

        JsonObject body = [];
        IFormCollection? form = null;
        try
        {
            if (endpoint.Multipart)
            {
                form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
            }
            else if (!HttpMethods.IsGet(request.Method))
            {
                body = await ReadJsonAsync(request, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or BadHttpRequestException)
        {
            return Envelope(RcErrors.Plain(ex.Message), null);
        }

        RateDecision? rate = null;
        lock (_state.Gate)
        {
            try
            {
                var user = _state.Authenticate(Header(request, "X-User-Id"), Header(request, "X-Auth-Token"));
                if (endpoint.RequiresAuth && user is null)
                {
                    throw RcErrors.Unauthenticated(_options.RocketChatVersion);
                }

                var call = new RcCall(context, _state, user, body, form, segments[1..]);
                if (_options.RocketChatVersion <= 6)
                {
                    rate = RateLimit(call, endpoint);
                    Validate(call, endpoint);
                }
                else
                {
                    Validate(call, endpoint);
                    rate = RateLimit(call, endpoint);
                }

                var payload = endpoint.Handler(call);
                payload["success"] = true;
                var ok = SimResponse.FromJson(200, payload);
                return Envelope(ok, rate);
            }
            catch (RcException ex)
            {
                return Envelope(ex, rate);
            }
        }
    }

    public SimResponse TooManyRequests(int retryAfterSeconds)
    {
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var response = Envelope(RcErrors.TooManyRequests(retryAfterSeconds), null);
        response.Headers["X-RateLimit-Limit"] = _options.RateLimitCalls.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = "0";
        response.Headers["X-RateLimit-Reset"] = (now + (retryAfterSeconds * 1000L)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }

    public SimResponse ServerError() => Envelope(new RcException(500, RcErrors.InternalError()), null);

    public SimResponse Unavailable() =>
        Envelope(new RcException(503, new JsonObject { ["success"] = false, ["error"] = "Service Unavailable" }), null);

    private RateDecision? RateLimit(RcCall call, RcEndpoint endpoint)
    {
        var bypass = call.User is { } user
            && (user.IsAdmin || user.Roles.Contains("app") || (user.IsBot && _options.BotBypassesRateLimit));
        if (bypass)
        {
            return null;
        }

        var request = call.Http.Request;
        var ip = Header(request, "X-Real-IP") ?? call.Http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var decision = Limiter.Hit(endpoint.Name, endpoint.Method, ip);
        if (!decision.Allowed)
        {
            var wait = (long)Math.Ceiling(decision.TimeToResetMs / 1000.0);
            var limited = RcErrors.TooManyRequests(wait);
            throw new RcException(limited.Status, limited.Body) { Rate = decision };
        }

        return decision;
    }

    private static void Validate(RcCall call, RcEndpoint endpoint)
    {
        if (endpoint.Params is null)
        {
            return;
        }

        var inQuery = HttpMethods.IsGet(call.Http.Request.Method);
        IEnumerable<string> keys = inQuery ? call.Http.Request.Query.Keys : call.Body.Select(p => p.Key);
        if (keys.Any(k => !endpoint.Params.Contains(k)))
        {
            throw RcErrors.InvalidParams(call.Version, "must NOT have additional properties", inQuery);
        }
    }

    private static SimResponse Envelope(RcException error, RateDecision? rate) =>
        Envelope(SimResponse.FromJson(error.Status, error.Body), error.Rate ?? rate);

    private static SimResponse Envelope(SimResponse response, RateDecision? rate)
    {
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["Pragma"] = "no-cache";
        if (rate is { } r)
        {
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            response.Headers["X-RateLimit-Limit"] = r.Limit.ToString(culture);
            response.Headers["X-RateLimit-Remaining"] = r.Remaining.ToString(culture);
            response.Headers["X-RateLimit-Reset"] = r.ResetEpochMs.ToString(culture);
        }

        return response;
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return JsonNode.Parse(text) as JsonObject ?? throw new JsonException("The request body must be a JSON object.");
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;
}
