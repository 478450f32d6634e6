using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Incidents.Dashboard;

/// <summary>The dashboard's three files, read once from the assembly's embedded resources and served with strict headers.</summary>
internal static class DashboardAssets
{
    /// <summary>
    /// Scripts only from this service; no plugins, no framing of the dashboard itself. Inline styles are allowed
    /// because the transcript shown in the (script-less, sandboxed) iframe inherits this policy and carries its own
    /// <c>&lt;style&gt;</c>; its images are data: URIs.
    /// </summary>
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    public static IResult Serve(HttpContext http, string name)
    {
        var asset = Files[name];
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (name.EndsWith(".html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = Policy;
            headers.XFrameOptions = "DENY";
        }
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var types = new Dictionary<string, string>
        {
            ["index.html"] = "text/html; charset=utf-8",
            ["app.js"] = "text/javascript; charset=utf-8",
            ["app.css"] = "text/css; charset=utf-8",
        };
        return types.ToFrozenDictionary(t => t.Key, t =>
        {
            using var stream = assembly.GetManifestResourceStream("Dashboard/" + t.Key)
                ?? throw new InvalidOperationException($"The dashboard asset {t.Key} is not embedded in {assembly.GetName().Name}.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"").ToString();
            return new Asset(content, t.Value, etag);
        });
    }
}
