using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Incidents.Web;

/// <summary>
/// The one place that turns unexpected exceptions into problem+json. When the database cannot be reached the
/// answer is 503 with Retry-After, so webhook senders retry instead of believing the event was stored.
/// </summary>
internal sealed class ExceptionHandler(IProblemDetailsService problems, ILogger<ExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        Log.Unhandled(log, context.Request.Path, exception);
        var unavailable = IsDatabaseUnavailable(exception);
        context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        if (unavailable)
        {
            context.Response.Headers.RetryAfter = "30";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = context.Response.StatusCode,
                Title = unavailable ? "Database unavailable" : "Internal error",
                Detail = unavailable ? "Nothing was stored; retry later." : "The error was logged.",
            },
        });
    }

    private static bool IsDatabaseUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException { IsTransient: true } or SocketException or TimeoutException
                || (x is PostgresException pg && pg.SqlState.StartsWith("57P", StringComparison.Ordinal))
                || (x is InvalidOperationException && x.Message.Contains("transient failure", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }
}
