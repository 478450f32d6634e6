using Incidents.Tickets;
using Incidents.Web;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Incidents.Webhooks;

/// <summary>
/// <c>POST /webhooks/{system}</c> (the system's default instance) and <c>POST /webhooks/{system}/{instance}</c>
/// (a named instance): raw body → verify → read → store → 202.
/// </summary>
internal static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{system}", (string system, HttpRequest request, TicketSystems tickets, IMediator mediator, IOptions<WebhookOptions> options,
                ILoggerFactory loggers, Telemetry telemetry, CancellationToken ct) => Receive(system, null, request, tickets, mediator, options, loggers, telemetry, ct))
            .WithName("ReceiveWebhook")
            .WithTags("Webhooks")
            .RequireRateLimiting(WebhookRateLimit.Policy)
            .DisableAntiforgery();
        app.MapPost("/webhooks/{system}/{instance}", Receive)
            .WithName("ReceiveWebhookInstance")
            .WithTags("Webhooks")
            .RequireRateLimiting(WebhookRateLimit.Policy)
            .DisableAntiforgery();
        app.MapPost("/webhooks/{system}/dry-run", (string system, HttpRequest request, TicketSystems tickets, Data.IncidentsDbContext db, TimeProvider time,
                IOptions<WebhookOptions> options, CancellationToken ct) => DryRunWebhook.Handle(system, null, request, tickets, db, time, options, ct))
            .WithName("DryRunWebhook")
            .WithTags("Webhooks")
            .AddEndpointFilter<AdminAuth>()
            .DisableAntiforgery();
        app.MapPost("/webhooks/{system}/{instance}/dry-run", DryRunWebhook.Handle)
            .WithName("DryRunWebhookInstance")
            .WithTags("Webhooks")
            .AddEndpointFilter<AdminAuth>()
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Accepted, Ok, NoContent, ProblemHttpResult>> Receive(
        string system,
        string? instance,
        HttpRequest request,
        TicketSystems tickets,
        IMediator mediator,
        IOptions<WebhookOptions> options,
        ILoggerFactory loggers,
        Telemetry telemetry,
        CancellationToken ct)
    {
        var log = loggers.CreateLogger("Incidents.Webhooks");
        var ticket = tickets.Find(system, instance);
        if (ticket is null)
        {
            var source = instance is null ? system : $"{system}/{instance}";
            telemetry.WebhookRejected(source.Length > 32 ? source[..32] : source, "unknown_source");
            return Problem(StatusCodes.Status404NotFound, "Unknown webhook source", $"No ticket system instance '{source}' is configured.");
        }
        var body = await RawBody.ReadAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            Log.WebhookRejected(log, ticket.Source, "body too large");
            telemetry.WebhookRejected(ticket.Source, "too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"Webhook bodies are limited to {options.Value.MaxBodyBytes} bytes.");
        }
        if (!ticket.VerifySignature(request.Headers, body.Value.Span))
        {
            Log.WebhookRejected(log, ticket.Source, "bad or missing signature");
            telemetry.WebhookRejected(ticket.Source, "signature");
            return Problem(StatusCodes.Status401Unauthorized, "Invalid signature", "The webhook signature is missing or does not match the configured secret.");
        }
        switch (ticket.Read(request.Headers, body.Value))
        {
            case WebhookIntake.Ping:
                telemetry.WebhookHandled(ticket.Source, "ping");
                return TypedResults.Ok();
            case WebhookIntake.Ignored ignored:
                Log.WebhookHandled(log, ticket.Source, ignored.Reason, "-", "ignored");
                telemetry.WebhookHandled(ticket.Source, "ignored");
                return TypedResults.NoContent();
            case WebhookIntake.Malformed malformed:
                Log.WebhookRejected(log, ticket.Source, malformed.Reason);
                telemetry.WebhookRejected(ticket.Source, "malformed");
                return Problem(StatusCodes.Status400BadRequest, "Malformed webhook", malformed.Reason);
            case WebhookIntake.Event e:
                var outcome = await mediator.Send(new ReceiveTicketEvent(ticket.Source, e.DeliveryId, e.EventName, e.TicketEvent), ct);
                Log.WebhookHandled(log, ticket.Source, e.EventName, e.DeliveryId, outcome.ToString());
                telemetry.WebhookHandled(ticket.Source, outcome.ToString().ToLowerInvariant());
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
