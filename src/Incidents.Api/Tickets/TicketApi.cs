using System.Net;
using System.Text.Json;
using Incidents.Lifecycle;
using Incidents.Web;
using RestSharp;

namespace Incidents.Tickets;

/// <summary>
/// The REST client of one ticket system instance: built on first use over the instance's HTTP client, bound to
/// the configured API base, and turning every failure into an <see cref="ExternalCallException"/> the outbox
/// understands (429 and exhausted limits wait for the reset; 400/404/410/413/422 are permanent).
/// </summary>
internal sealed class TicketApi
{
    private readonly Lazy<RestClient> _rest;
    private readonly string _system;
    private readonly Telemetry _telemetry;
    private readonly TimeProvider _time;

    public TicketApi(HttpClient http, TicketInstance instance, Uri apiBase, TimeSpan timeout, Telemetry telemetry, TimeProvider time, Action<RestClient> configure)
    {
        _system = instance.System;
        _telemetry = telemetry;
        _time = time;
        BaseUrl = apiBase.ToString().TrimEnd('/') + "/";
        _rest = new Lazy<RestClient>(() =>
        {
            var rest = new RestClient(http, new RestClientOptions(BaseUrl) { ThrowOnAnyError = false, Timeout = timeout }, disposeHttpClient: false);
            configure(rest);
            return rest;
        });
    }

    /// <summary>The configured API base, with a trailing slash; request resources are relative to it.</summary>
    public string BaseUrl { get; }

    /// <summary>Status codes that mean "wait" even though they are not 429 (GitHub's 403 with an exhausted limit).</summary>
    public Func<RestResponse, bool> IsRateLimited { get; init; } = _ => false;

    public async Task<RestResponse> ExecuteAsync(RestRequest request, CancellationToken ct)
    {
        var response = await _rest.Value.ExecuteAsync(request, ct);
        var status = (int)response.StatusCode;
        _telemetry.ApiCall(_system, status);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        if (status == 0)
        {
            throw new ExternalCallException(_system, $"{request.Method} {request.Resource} failed: {response.ErrorMessage}");
        }
        if (response.StatusCode == HttpStatusCode.TooManyRequests || IsRateLimited(response))
        {
            throw new ExternalCallException(_system, $"{request.Method} {request.Resource} rate limited", status, RateLimit.ResetAt(response, _time.GetUtcNow()));
        }
        var permanent = status is 400 or 401 or 403 or 404 or 410 or 413 or 422;
        throw new ExternalCallException(_system, $"{request.Method} {request.Resource} answered HTTP {status}: {Message(response.Content)}", status, permanent: permanent);
    }

    /// <summary>The JSON body of a successful answer (an empty body reads as <paramref name="empty"/>).</summary>
    public static JsonDocument Json(RestResponse response, string empty = "{}") =>
        JsonDocument.Parse(response.RawBytes is { Length: > 0 } raw ? raw : System.Text.Encoding.UTF8.GetBytes(empty));

    /// <summary>
    /// A URL from a response (a pagination link, an upload location) as a resource relative to the API base; a URL
    /// that points anywhere else is refused, never followed.
    /// </summary>
    public string Relative(string url)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return url.TrimStart('/');
        }
        return url.StartsWith(BaseUrl, StringComparison.OrdinalIgnoreCase)
            ? url[BaseUrl.Length..]
            : throw new ExternalCallException(_system, "a URL in the answer points outside the configured API base", permanent: true);
    }

    /// <summary>The <c>rel="next"</c> target of a <c>Link</c> header, relative to the API base; null on the last page.</summary>
    public string? NextPage(RestResponse response)
    {
        var link = RateLimit.Header(response, "Link");
        if (link is null)
        {
            return null;
        }
        foreach (var part in link.Split(','))
        {
            var segments = part.Split(';');
            if (segments.Length >= 2 && segments.Skip(1).Any(s => s.Trim() == "rel=\"next\""))
            {
                return Relative(segments[0].Trim().TrimStart('<').TrimEnd('>'));
            }
        }
        return null;
    }

    /// <summary>A short error text from a JSON error body (message, error, errorMessages…); empty when there is none.</summary>
    private static string Message(string? content)
    {
        try
        {
            using var doc = JsonDocument.Parse(content ?? "");
            var root = doc.RootElement;
            foreach (var name in new[] { "message", "error", "errorMessages", "errors", "error_human" })
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var m))
                {
                    var text = m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.GetRawText();
                    return text.Length > 300 ? text[..300] : text;
                }
            }
            return "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
