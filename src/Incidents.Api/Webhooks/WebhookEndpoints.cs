using Incidents.Tickets;
using Incidents.Web;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Incidents.Webhooks;

/// <summary><c>POST /webhooks/{source}</c>: raw body → verify → read → store → 202.</summary>
internal static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{source}", Receive)
            .WithName("ReceiveWebhook")
            .WithTags("Webhooks")
            .RequireRateLimiting(WebhookRateLimit.Policy)
            .DisableAntiforgery();
        app.MapPost("/webhooks/{source}/dry-run", DryRunWebhook.Handle)
            .WithName("DryRunWebhook")
            .WithTags("Webhooks")
            .AddEndpointFilter<AdminAuth>()
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Accepted, Ok, NoContent, ProblemHttpResult>> Receive(
        string source,
        HttpRequest request,
        TicketSystems tickets,
        IMediator mediator,
        IOptions<WebhookOptions> options,
        ILoggerFactory loggers,
        Telemetry telemetry,
        CancellationToken ct)
    {
        var log = loggers.CreateLogger("Incidents.Webhooks");
        var system = tickets.Find(source);
        if (system is null)
        {
            telemetry.WebhookRejected(source.Length > 32 ? source[..32] : source, "unknown_source");
            return Problem(StatusCodes.Status404NotFound, "Unknown webhook source", $"No ticket system named '{source}' is configured.");
        }
        var body = await RawBody.ReadAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            Log.WebhookRejected(log, system.Source, "body too large");
            telemetry.WebhookRejected(system.Source, "too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"Webhook bodies are limited to {options.Value.MaxBodyBytes} bytes.");
        }
        if (!system.VerifySignature(request.Headers, body.Value.Span))
        {
            Log.WebhookRejected(log, system.Source, "bad or missing signature");
            telemetry.WebhookRejected(system.Source, "signature");
            return Problem(StatusCodes.Status401Unauthorized, "Invalid signature", "The webhook signature is missing or does not match the configured secret.");
        }
        switch (system.Read(request.Headers, body.Value))
        {
            case WebhookIntake.Ping:
                telemetry.WebhookHandled(system.Source, "ping");
                return TypedResults.Ok();
            case WebhookIntake.Ignored ignored:
                Log.WebhookHandled(log, system.Source, ignored.Reason, "-", "ignored");
                telemetry.WebhookHandled(system.Source, "ignored");
                return TypedResults.NoContent();
            case WebhookIntake.Malformed malformed:
                Log.WebhookRejected(log, system.Source, malformed.Reason);
                telemetry.WebhookRejected(system.Source, "malformed");
                return Problem(StatusCodes.Status400BadRequest, "Malformed webhook", malformed.Reason);
            case WebhookIntake.Event e:
                var outcome = await mediator.Send(new ReceiveTicketEvent(system.Source, e.DeliveryId, e.EventName, e.TicketEvent), ct);
                Log.WebhookHandled(log, system.Source, e.EventName, e.DeliveryId, outcome.ToString());
                telemetry.WebhookHandled(system.Source, outcome.ToString().ToLowerInvariant());
                return outcome switch
                {
                    ReceiveOutcome.Accepted => TypedResults.Accepted((string?)null),
                    ReceiveOutcome.Duplicate => TypedResults.Ok(),
                    _ => TypedResults.NoContent(),
                };
            default:
                throw new InvalidOperationException("unknown webhook intake");
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
