using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Incidents.Web;

/// <summary>Endpoint filter: <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>, compared in constant time.</summary>
internal sealed class AdminAuth(IOptions<AdminOptions> options) : IEndpointFilter
{
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.FirstOrDefault();
        const string scheme = "Bearer ";
        var given = header is not null && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        // Hashing both sides first makes the comparison constant-time regardless of the lengths.
        if (!CryptographicOperations.FixedTimeEquals(_key, SHA256.HashData(Encoding.UTF8.GetBytes(given))) || given.Length == 0)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem("A valid admin API key is required: Authorization: Bearer <Admin:ApiKey>.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
        return await next(context);
    }
}
