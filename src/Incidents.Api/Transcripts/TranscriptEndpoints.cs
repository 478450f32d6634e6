using System.Text;
using Incidents.Data;
using Incidents.Tickets;
using Incidents.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Incidents.Transcripts;

/// <summary>Downloads of stored transcripts (admin key) and of transcript files (signed, expiring links).</summary>
internal static class TranscriptEndpoints
{
    public static IEndpointRouteBuilder MapTranscripts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents/{id:guid}/transcript", GetTranscript)
            .WithName("GetTranscript").WithTags("Incidents").AddEndpointFilter<AdminAuth>();
        app.MapGet("/transcripts/{channelId:guid}/files/{fileId}", GetFile)
            .WithName("GetTranscriptFile").WithTags("Transcripts");
        return app;
    }

    /// <summary>
    /// <c>GET /incidents/{id}/transcript?format=md|html|json&amp;period=N</c> (latest period by default). <c>md</c> is the
    /// ticket's copy: the comment bodies as published, in the ticket system's markup (Markdown for GitHub and GitLab,
    /// Jira wiki markup, Textile, HTML or plain text), served with that markup's media type.
    /// </summary>
    private static async Task<Results<EmptyHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> GetTranscript(
        Guid id, string? format, int? period, IncidentsDbContext db, TicketSystems tickets, HttpContext http, CancellationToken ct)
    {
        format = (format ?? "md").ToLowerInvariant();
        if (format is not ("md" or "html" or "json"))
        {
            return TypedResults.Problem("format must be md, html or json.", statusCode: 400, title: "Invalid format");
        }
        var channel = await LatestAsync(db, id, period, ct);
        if (channel is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "No transcript", Detail = "This incident (or period) has no captured transcript yet.", Status = 404 });
        }
        var response = http.Response;
        response.Headers.ETag = $"\"{channel.Sha256}\"";
        if (format == "md")
        {
            var source = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => i.Source).SingleAsync(ct);
            var (mediaType, extension) = tickets.Find(source)?.Markup.File ?? ("text/plain", "txt");
            response.Headers.ContentDisposition = $"attachment; filename=\"{channel.Name}.{extension}\"";
            response.ContentType = $"{mediaType}; charset=utf-8";
            await foreach (var part in db.TranscriptParts.AsNoTracking().Where(p => p.ChannelId == channel.Id).OrderBy(p => p.Part).Select(p => p.Content).AsAsyncEnumerable().WithCancellation(ct))
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(part), ct);
            }
            return TypedResults.Empty;
        }
        response.Headers.ContentDisposition = $"attachment; filename=\"{channel.Name}.{format}\"";
        response.ContentType = format == "html" ? "text/html; charset=utf-8" : "application/json";
        await TranscriptBlobs.CopyToAsync(db, channel.Id, format, response.Body, ct);
        return TypedResults.Empty;
    }

    public sealed record Captured(Guid Id, string Name, string Sha256);

    /// <summary>The channel of an incident's latest (or given) period that has a captured transcript; null when none has.</summary>
    public static Task<Captured?> LatestAsync(IncidentsDbContext db, Guid incidentId, int? period, CancellationToken ct) =>
        db.Channels.AsNoTracking()
            .Where(c => c.IncidentId == incidentId && (period == null || c.Period == period))
            .Join(db.Transcripts, c => c.Id, t => t.ChannelId, (c, t) => new { c.Id, c.Name, c.Period, t.Sha256 })
            .OrderByDescending(c => c.Period)
            .Select(c => new Captured(c.Id, c.Name, c.Sha256))
            .FirstOrDefaultAsync(ct);

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GetFile(
        Guid channelId, string fileId, long? expires, string? sig, FileLinks links, IncidentsDbContext db, CancellationToken ct)
    {
        if (expires is null || !links.IsValid(channelId, fileId, expires.Value, sig))
        {
            return TypedResults.Problem("The link is invalid or has expired.", statusCode: 403, title: "Forbidden");
        }
        var file = await db.CapturedFiles.AsNoTracking().Where(f => f.ChannelId == channelId && f.FileId == fileId && f.Content != null)
            .Select(f => new { f.Name, f.ContentType, f.Content }).SingleOrDefaultAsync(ct);
        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(file.Content!, file.ContentType ?? "application/octet-stream", file.Name);
    }
}
