using System.Reflection;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Transcripts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Sandbox;

/// <summary>
/// The sandbox page and the small API behind it: open a ticket, chat in its channel (thread replies and files
/// included), comment, close or reopen it, and read the transcript that came back. Mapped only in sandbox mode.
/// </summary>
internal static class SandboxEndpoints
{
    public sealed record NewTicket(string Title, string? Body);

    public sealed record Say(string Text, string? ThreadId);

    public sealed record TicketView(int Number, string Title, bool Open, string Url, Guid? IncidentId, string? Channel, string? ChannelStatus, int Comments);

    public sealed record MessageView(string Id, DateTimeOffset Ts, string User, string Text, string? System, string? ThreadId, int Files, DateTimeOffset? EditedAt);

    public sealed record CommentView(long Id, string Body, string Url);

    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox", Page).ExcludeFromDescription();
        app.MapGet("/", () => TypedResults.Redirect("/sandbox")).ExcludeFromDescription();
        var api = app.MapGroup("/sandbox/api/tickets").ExcludeFromDescription().DisableAntiforgery();
        api.MapGet("/", List);
        api.MapPost("/", Open);
        api.MapPost("/{number:int}/close", async Task<Results<Accepted, NotFound>> (int number, SandboxTickets tickets, CancellationToken ct) =>
            tickets.Find(number) is { } t ? Sent(await tickets.CloseAsync(t, ct)) : TypedResults.NotFound());
        api.MapPost("/{number:int}/reopen", async Task<Results<Accepted, NotFound>> (int number, SandboxTickets tickets, CancellationToken ct) =>
            tickets.Find(number) is { } t ? Sent(await tickets.ReopenAsync(t, ct)) : TypedResults.NotFound());
        api.MapPost("/{number:int}/comments", async Task<Results<Accepted, NotFound>> (int number, Say say, SandboxTickets tickets, CancellationToken ct) =>
            tickets.Find(number) is { } t ? Sent(await tickets.CommentAsync(t, say.Text, ct)) : TypedResults.NotFound());
        api.MapGet("/{number:int}/chat", Chat);
        api.MapPost("/{number:int}/chat", Post);
        api.MapPost("/{number:int}/files", Upload);
        api.MapGet("/{number:int}/comments", Comments);
        api.MapGet("/{number:int}/transcript", Transcript);
        return app;
    }

    private static Accepted Sent(int status) =>
        status is 200 or 202 ? TypedResults.Accepted((string?)null) : throw new InvalidOperationException($"the service answered the sandbox's webhook with HTTP {status}");

    private static async Task<ContentHttpResult> Page(CancellationToken ct)
    {
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Incidents.Sandbox.sandbox.html")!;
        using var reader = new StreamReader(stream);
        return TypedResults.Content(await reader.ReadToEndAsync(ct), "text/html; charset=utf-8");
    }

    private static async Task<Ok<List<TicketView>>> List(SandboxTickets tickets, SandboxEnvironment sandbox, IncidentsDbContext db, CancellationToken ct)
    {
        var views = new List<TicketView>();
        foreach (var t in tickets.All)
        {
            var (incident, channel) = await Current(db, t.Number, ct);
            views.Add(new TicketView(t.Number, t.Title, t.Open, t.Url, incident?.Id, channel?.Name, channel?.Status.ToString(),
                sandbox.Simulators.GitHub.Comments("sandbox", "incidents-demo", t.Number).Count));
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<TicketView>, ProblemHttpResult>> Open(NewTicket ticket, SandboxTickets tickets, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(ticket.Title))
        {
            return TypedResults.Problem("A ticket needs a title.", statusCode: 400, title: "Invalid ticket");
        }
        var (t, status) = await tickets.OpenAsync(ticket.Title.Trim(), ticket.Body ?? "", ct);
        Sent(status);
        return TypedResults.Created($"/sandbox/api/tickets/{t.Number}", new TicketView(t.Number, t.Title, t.Open, t.Url, null, null, null, 0));
    }

    private static async Task<Results<Ok<List<MessageView>>, NotFound>> Chat(int number, SandboxEnvironment sandbox, IncidentsDbContext db, CancellationToken ct)
    {
        var (_, channel) = await Current(db, number, ct);
        if (channel?.RoomId is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(sandbox.Simulators.RocketChat.MessagesOf(channel.RoomId)
            .Where(m => !m.Hidden)
            .OrderBy(m => m.Ts)
            .Select(m => new MessageView(m.Id, m.Ts, m.Username, m.Text, m.Type, m.Tmid, m.FileIds.Count, m.EditedAt))
            .ToList());
    }

    private static async Task<Results<Accepted, NotFound, ProblemHttpResult>> Post(int number, Say say, SandboxChat chat, IncidentsDbContext db, CancellationToken ct)
    {
        var (_, channel) = await Current(db, number, ct);
        if (channel?.RoomId is null)
        {
            return TypedResults.NotFound();
        }
        var error = await chat.SayAsync(channel.Name, channel.RoomId, say.Text, say.ThreadId, ct);
        return error is null ? TypedResults.Accepted((string?)null) : TypedResults.Problem(error, statusCode: 409, title: "The chat refused the message");
    }

    private static async Task<Results<Accepted, NotFound, ProblemHttpResult>> Upload(int number, IFormFile file, SandboxChat chat, IncidentsDbContext db, CancellationToken ct)
    {
        var (_, channel) = await Current(db, number, ct);
        if (channel?.RoomId is null)
        {
            return TypedResults.NotFound();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var error = await chat.UploadAsync(channel.Name, channel.RoomId, file.FileName, string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray(), ct);
        return error is null ? TypedResults.Accepted((string?)null) : TypedResults.Problem(error, statusCode: 409, title: "The chat refused the file");
    }

    private static Ok<List<CommentView>> Comments(int number, SandboxEnvironment sandbox) =>
        TypedResults.Ok(sandbox.Simulators.GitHub.Comments("sandbox", "incidents-demo", number).Select(c => new CommentView(c.Id, c.Body, c.HtmlUrl)).ToList());

    private static async Task<Results<EmptyHttpResult, NotFound>> Transcript(int number, IncidentsDbContext db, HttpContext http, CancellationToken ct)
    {
        var (incident, _) = await Current(db, number, ct);
        var captured = incident is null ? null : await TranscriptEndpoints.LatestAsync(db, incident.Id, null, ct);
        if (captured is null)
        {
            return TypedResults.NotFound();
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        await TranscriptBlobs.CopyToAsync(db, captured.Id, "html", http.Response.Body, ct);
        return TypedResults.Empty;
    }

    private static async Task<(Incident? Incident, Channel? Channel)> Current(IncidentsDbContext db, int number, CancellationToken ct)
    {
        var key = $"github:{SandboxEnvironment.RepositoryId}:{number}";
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Channels).SingleOrDefaultAsync(i => i.TicketKey == key, ct);
        return (incident, incident?.Channels.MaxBy(c => c.Period));
    }
}
