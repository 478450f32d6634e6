using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Incidents.Web;

namespace Incidents.Tickets.Generic;

/// <summary>
/// Any ticket system that sends the signed JSON webhook of docs/generic-webhook.md. Transcripts go to the configured
/// callback URL as Markdown parts (and the HTML file), and are read back from it before the channel is removed.
/// </summary>
internal sealed partial class GenericTicketSystem : ITicketSystem
{
    private const string System = "generic";

    /// <summary>Pages of a listing followed at most (a receiver whose cursor never ends must not keep a step busy forever).</summary>
    private const int MaxPages = 10_000;

    private readonly GenericOptions _options;
    private readonly GenericCallback _callback;
    private readonly TimeProvider _time;

    public GenericTicketSystem(TicketInstance instance, GenericOptions options, HttpClient http, TimeProvider time, Telemetry telemetry)
    {
        Instance = instance;
        _options = options;
        _time = time;
        _callback = new GenericCallback(http, instance, options, time, telemetry);
    }

    public TicketInstance Instance { get; }

    public int MaxCommentLength => _options.MaxPartLength;

    public TicketMarkup Markup => MarkdownMarkup.Instance;

    public long MaxAttachmentBytes => _options.MaxFileBytes;

    public bool VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        GenericSignature.Verify(_options.WebhookSecret, headers[GenericSignature.TimestampHeader].FirstOrDefault(),
            headers[GenericSignature.SignatureHeader].FirstOrDefault(), body, _time.GetUtcNow(), _options.ReplayWindow);

    public WebhookIntake Read(IHeaderDictionary headers, ReadOnlyMemory<byte> body) =>
        GenericWebhook.Read(Instance.KeyPrefix, headers[GenericSignature.DeliveryHeader].FirstOrDefault(), body, _options.IntegrationUser);

    public bool IsIncident(TicketSnapshot ticket) =>
        string.IsNullOrEmpty(_options.Label) || ticket.Labels.Contains(_options.Label, StringComparer.OrdinalIgnoreCase);

    public async IAsyncEnumerable<TicketComment> FindCommentsAsync(string ticketRef, string marker, [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = ChannelOf(marker);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            List<(string Name, string Value)> query = [("ticket", ticketRef)];
            if (channel is not null)
            {
                query.Add(("channel", channel));
            }
            if (cursor is not null)
            {
                query.Add(("cursor", cursor));
            }
            var response = await _callback.GetAsync(query, ct);
            List<TicketComment> found;
            string? next;
            using (var doc = TicketApi.Json(response))
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
                {
                    throw new ExternalCallException(System, "the receiver's part listing has no \"parts\" array", permanent: true);
                }
                found = [.. parts.EnumerateArray()
                    .Select(p => new TicketComment(GenericCallback.Id(p) ?? "", GenericCallback.Text(p, "url") ?? "", GenericCallback.Text(p, "body") ?? ""))
                    .Where(c => c.Body.Contains(marker, StringComparison.Ordinal))];
                next = GenericCallback.Text(root, "next_cursor");
            }
            foreach (var comment in found)
            {
                yield return comment;
            }
            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }
            if (next == cursor || page >= MaxPages)
            {
                throw new ExternalCallException(System, "the receiver's part listing does not end (next_cursor repeats)", permanent: true);
            }
            cursor = next;
        }
    }

    public async Task<TicketComment> AddCommentAsync(string ticketRef, string body, CancellationToken ct)
    {
        var parsed = TranscriptMarker.TryParse(body, Markup);
        var channel = parsed is null ? null : ChannelOf(body[..body.IndexOf('\n', StringComparison.Ordinal)]);
        if (parsed is null || channel is null)
        {
            throw new ExternalCallException(System, "only transcript parts are sent to the receiver", permanent: true);
        }
        var sha = TranscriptMarker.Sha256Utf8(body);
        var (id, url) = await _callback.PostAsync(json =>
        {
            json.WriteStartObject();
            json.WriteString("kind", "part");
            json.WriteString("ticket", ticketRef);
            json.WriteString("channel", channel);
            json.WriteNumber("part", parsed.Part);
            json.WriteNumber("parts", parsed.Parts);
            json.WriteString("transcript_sha256", parsed.TranscriptSha256);
            json.WriteString("sha256", sha);
            json.WriteString("body", body);
            json.WriteEndObject();
        }, $"part:{channel}:{parsed.Part}:{sha}", ct);
        return new TicketComment(id, url, body);
    }

    public async Task<TicketAttachment> AttachAsync(string ticketRef, TicketFile file, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(file.Content));
        var (id, _) = await _callback.PostAsync(json =>
        {
            json.WriteStartObject();
            json.WriteString("kind", "file");
            json.WriteString("ticket", ticketRef);
            json.WriteString("file_name", file.FileName);
            json.WriteString("content_type", file.ContentType);
            json.WriteString("description", file.Description);
            json.WriteNumber("size", file.Content.LongLength);
            json.WriteString("sha256", sha);
            json.WriteBase64String("content_base64", file.Content);
            json.WriteEndObject();
        }, $"file:{file.FileName}:{sha}", ct);
        return new TicketAttachment(id, file.FileName, id, file.Content.LongLength);
    }

    public async IAsyncEnumerable<TicketAttachment> FindAttachmentsAsync(string ticketRef, string fileName, [EnumeratorCancellation] CancellationToken ct)
    {
        var response = await _callback.GetAsync([("ticket", ticketRef), ("file_name", fileName)], ct);
        List<TicketAttachment> found;
        using (var doc = TicketApi.Json(response))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new ExternalCallException(System, "the receiver's file listing has no \"files\" array", permanent: true);
            }
            found = [.. files.EnumerateArray()
                .Where(f => GenericCallback.Text(f, "file_name") == fileName && GenericCallback.Id(f) is not null)
                .Select(f => new TicketAttachment(GenericCallback.Id(f)!, fileName, GenericCallback.Id(f)!,
                    f.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : -1))];
        }
        foreach (var attachment in found)
        {
            yield return attachment;
        }
    }

    public async Task<byte[]> ReadAttachmentAsync(string ticketRef, TicketAttachment attachment, CancellationToken ct)
    {
        var response = await _callback.GetAsync([("ticket", ticketRef), ("file_id", attachment.Location)], ct);
        return response.RawBytes ?? [];
    }

    /// <summary>The channel id (32 hex digits) a transcript marker names; null for any other text.</summary>
    private static string? ChannelOf(string text) => ChannelRegex().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"incidents:transcript channel=([0-9a-f]{32}) ")]
    private static partial Regex ChannelRegex();
}
