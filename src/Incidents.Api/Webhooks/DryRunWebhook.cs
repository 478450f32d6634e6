using Incidents.Data;
using Incidents.Incidents;
using Incidents.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Webhooks;

/// <summary>
/// <c>POST /webhooks/{system}[/{instance}]/dry-run</c> (admin key): what a webhook payload would do — how it is read, which
/// incident it touches and which actions it would queue — without storing or calling anything. The payload's
/// signature is not checked (the caller is an authenticated operator), but its headers are read as usual.
/// </summary>
internal static class DryRunWebhook
{
    public sealed record Action(string Kind, string Channel, string? Text);

    public sealed record Result(string Intake, string? Reason, string? Event, string? TicketKey, bool? IncidentExists, bool? BecomesIncident,
        string? StateBefore, string? StateAfter, IReadOnlyList<Action> Actions);

    public static async Task<Results<Ok<Result>, NotFound, ProblemHttpResult>> Handle(string system, string? instance, HttpRequest request, TicketSystems tickets,
        IncidentsDbContext db, TimeProvider time, IOptions<WebhookOptions> options, CancellationToken ct)
    {
        var ticket = tickets.Find(system, instance);
        if (ticket is null)
        {
            return TypedResults.NotFound();
        }
        var body = await RawBody.ReadAsync(request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem($"Webhook bodies are limited to {options.Value.MaxBodyBytes} bytes.", statusCode: 413, title: "Payload too large");
        }
        switch (ticket.Read(request.Headers, body.Value))
        {
            case WebhookIntake.Ping:
                return TypedResults.Ok(new Result("ping", null, null, null, null, null, null, null, []));
            case WebhookIntake.Ignored ignored:
                return TypedResults.Ok(new Result("ignored", ignored.Reason, null, null, null, null, null, null, []));
            case WebhookIntake.Malformed malformed:
                return TypedResults.Ok(new Result("malformed", malformed.Reason, null, null, null, null, null, null, []));
            case WebhookIntake.Event e:
                var evt = e.TicketEvent;
                var incident = await db.Incidents.AsNoTracking().Include(i => i.Channels)
                    .SingleOrDefaultAsync(i => i.Source == ticket.Source && i.TicketKey == evt.Ticket.Key, ct);
                var exists = incident is not null;
                var becomes = exists || ((evt.Kind is not (TicketEventKind.Updated or TicketEventKind.Commented) || evt.Ticket.IsOpen) && ticket.IsIncident(evt.Ticket));
                if (!becomes)
                {
                    return TypedResults.Ok(new Result("event", "not an incident (closed, or filtered out)", e.EventName, evt.Ticket.Key, false, false, null, null, []));
                }
                // Applied to a copy that is never tracked nor saved.
                incident ??= Incident.Create(ticket.Source, evt.Ticket, time.GetUtcNow());
                var before = exists ? incident.State.ToString().ToLowerInvariant() : null;
                var actions = incident.Apply(evt, time.GetUtcNow());
                var names = incident.Channels.ToDictionary(c => c.Id, c => c.Name);
                return TypedResults.Ok(new Result("event", null, e.EventName, evt.Ticket.Key, exists, true, before, incident.State.ToString().ToLowerInvariant(),
                    [.. actions.Select(a => new Action(a.Kind, names[a.ChannelId], a.Text))]));
            default:
                throw new InvalidOperationException("unknown webhook intake");
        }
    }
}
