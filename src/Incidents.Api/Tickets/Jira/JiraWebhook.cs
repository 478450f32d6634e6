using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incidents.Incidents;
using Incidents.Transcripts;

namespace Incidents.Tickets.Jira;

/// <summary>What the webhook reader needs to know about the instance it reads for.</summary>
/// <param name="SiteUrl">The configured site URL with a trailing slash: browse links are built from it, never from a payload.</param>
internal sealed record JiraSite(string KeyPrefix, string SiteUrl, string IntegrationUser, JiraIssueFilter Filter)
{
    public string Browse(string issueKey) => $"{SiteUrl}browse/{Uri.EscapeDataString(issueKey)}";

    public string CommentLink(string? issueKey, string issueId, string commentId) => issueKey is null
        ? $"{SiteUrl}secure/ViewIssue.jspa?id={issueId}&focusedCommentId={Uri.EscapeDataString(commentId)}"
        : $"{Browse(issueKey)}?focusedCommentId={Uri.EscapeDataString(commentId)}";
}

/// <summary>
/// Verifies and reads Jira's admin webhooks (ticket-systems.md §4): <c>jira:issue_created</c>, <c>jira:issue_updated</c>
/// (closed / reopened derived from the status category), <c>jira:issue_deleted</c> and <c>comment_created</c>.
/// </summary>
internal static class JiraWebhook
{
    /// <summary>Longest comment text relayed into the chat (Rocket.Chat refuses messages over 5,000 characters).</summary>
    public const int MaxRelayedText = 3500;

    /// <summary>
    /// The time of an event that carries no authoritative snapshot of the issue (a <c>comment_created</c> has only a few
    /// fields, or none): older than anything, so the incident's stored title, labels, description and state stay as
    /// they are, while the comment itself is still relayed.
    /// </summary>
    public static readonly DateTimeOffset NoSnapshot = DateTimeOffset.MinValue;

    private const int MaxDeliveryId = 256;
    private const int MaxIssueKey = 255;

    public static bool VerifySignature(string secret, string? header, ReadOnlySpan<byte> body) => HubSignature.Verify(secret, header, body);

    /// <param name="identifier"><c>X-Atlassian-Webhook-Identifier</c> (Cloud); Data Center sends none.</param>
    public static WebhookIntake Read(JiraSite site, string? identifier, ReadOnlyMemory<byte> body)
    {
        if (identifier is not null && (identifier.Length is 0 or > MaxDeliveryId || identifier.Any(char.IsControl)))
        {
            return new WebhookIntake.Malformed($"the X-Atlassian-Webhook-Identifier header is not a delivery id (1 to {MaxDeliveryId} printable characters)");
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new WebhookIntake.Malformed("the body is not a JSON object");
            }
            var webhookEvent = JiraJson.Str(root, "webhookEvent");
            if (string.IsNullOrEmpty(webhookEvent))
            {
                return new WebhookIntake.Malformed("webhookEvent is missing");
            }
            var reader = new Reader(site, identifier, root, webhookEvent);
            return webhookEvent switch
            {
                "jira:issue_created" => reader.IssueCreated(),
                "jira:issue_updated" => reader.IssueUpdated(),
                "jira:issue_deleted" => reader.IssueDeleted(),
                "comment_created" => reader.CommentCreated(),
                _ => new WebhookIntake.Ignored($"event '{Short(webhookEvent)}' is not handled"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new WebhookIntake.Malformed($"the Jira payload is not valid: {e.Message}");
        }
    }

    private static string Short(string text) => text.Length > 64 ? text[..64] + "…" : text;

    /// <summary>One delivery being read.</summary>
    private sealed class Reader(JiraSite site, string? identifier, JsonElement root, string webhookEvent)
    {
        private readonly string? _actor = root.TryGetProperty("user", out var user) ? JiraJson.UserName(user) : null;

        public WebhookIntake IssueCreated()
        {
            var (issue, snapshot) = Issue();
            return Event("jira:issue_created", new TicketEvent(TicketEventKind.Opened, snapshot, snapshot.CreatedAt, _actor), issue);
        }

        public WebhookIntake IssueDeleted()
        {
            var (issue, snapshot) = Issue();
            return Event("jira:issue_deleted", new TicketEvent(TicketEventKind.Gone, snapshot, EventTime(issue, snapshot), _actor, "deleted"), issue);
        }

        /// <summary>
        /// A status change into the done category closes; a resolution cleared or Jira's <c>issue_reopened</c> reopens;
        /// everything else is an update whose snapshot state the incident compares with its own (so a status moving out
        /// of done reopens a stored closed incident even though the payload names only the old status).
        /// </summary>
        public WebhookIntake IssueUpdated()
        {
            var (issue, snapshot) = Issue();
            var items = JiraJson.Array(JiraJson.Child(root, "changelog"), "items").ToList();
            var typeName = JiraJson.Str(root, "issue_event_type_name");
            var status = items.Any(i => IsField(i, "status"));
            var resolution = items.FirstOrDefault(i => IsField(i, "resolution"));
            var resolutionCleared = resolution.ValueKind == JsonValueKind.Object && JiraJson.Str(resolution, "to") is null && JiraJson.Str(resolution, "toString") is null;
            var at = EventTime(issue, snapshot);
            if (!status && resolution.ValueKind != JsonValueKind.Object && root.TryGetProperty("comment", out var comment) && comment.ValueKind == JsonValueKind.Object
                && typeName is null or "issue_commented")
            {
                return Comment(comment, issue, snapshot, at); // the comment_created of a Server-era webhook, or its companion
            }
            if (!snapshot.IsOpen && (status || resolution.ValueKind == JsonValueKind.Object))
            {
                return Event("jira:issue_updated.closed", new TicketEvent(TicketEventKind.Closed, snapshot, at, _actor, Resolution(issue)), issue);
            }
            if (snapshot.IsOpen && (resolutionCleared || typeName == "issue_reopened"))
            {
                return Event("jira:issue_updated.reopened", new TicketEvent(TicketEventKind.Reopened, snapshot, at, _actor), issue);
            }
            return Event(status ? "jira:issue_updated.status" : "jira:issue_updated", new TicketEvent(TicketEventKind.Updated, snapshot, at, _actor), issue);
        }

        /// <summary>
        /// Cloud sends the issue's key, summary, type, project, priority, assignee and status with a comment; Server-era
        /// payloads send no issue at all (it is found from the comment's own address).
        /// </summary>
        public WebhookIntake CommentCreated()
        {
            var comment = root.GetProperty("comment");
            TicketSnapshot snapshot;
            JsonElement issue = default;
            if (root.TryGetProperty("issue", out var i) && i.ValueKind == JsonValueKind.Object)
            {
                issue = i;
                snapshot = Snapshot(issue, JiraJson.Time(comment, "created"));
            }
            else
            {
                var id = IssueIdFromCommentSelf(comment) ?? throw new FormatException("the comment names no issue");
                // Nothing is known about the issue: this snapshot never creates an incident and never updates one.
                snapshot = new TicketSnapshot($"{site.KeyPrefix}:{id}", id, "", "", "", [], [], null, IsOpen: false,
                    JiraJson.Time(comment, "created") ?? JiraJson.Epoch(root, "timestamp") ?? throw new FormatException("comment.created is missing"));
            }
            return Comment(comment, issue, snapshot, NoSnapshot);
        }

        private WebhookIntake Comment(JsonElement comment, JsonElement issue, TicketSnapshot snapshot, DateTimeOffset at)
        {
            var commentId = JiraJson.Id(comment, "comment.id");
            var body = comment.TryGetProperty("body", out var b) ? b.ValueKind switch
            {
                JsonValueKind.String => JiraJson.Clean(b.GetString()!),
                JsonValueKind.Object => JiraJson.Clean(JiraAdf.PlainText(b)),
                _ => "",
            } : "";
            var author = comment.TryGetProperty("author", out var a) ? a : default;
            if (body.Contains(TranscriptMarker.Prefix, StringComparison.Ordinal) || IsIntegrationUser(author))
            {
                return new WebhookIntake.Ignored("a comment by the integration user (our own transcript echoed back)");
            }
            var name = author.ValueKind == JsonValueKind.Object ? JiraJson.UserName(author) ?? _actor : _actor;
            if (body.Length > MaxRelayedText)
            {
                var key = issue.ValueKind == JsonValueKind.Object ? JiraJson.Str(issue, "key") : null;
                body = body[..MaxRelayedText] + $"… (truncated; full comment: {site.CommentLink(ValidKey(key), snapshot.Ref, commentId)})";
            }
            var evt = new TicketEvent(TicketEventKind.Commented, snapshot, at, name, $"@{name} commented on the ticket:\n{body}");
            // One delivery id per comment: a comment_created and its issue_commented companion are one event.
            return new WebhookIntake.Event($"comment:{commentId}", $"{webhookEvent}.comment", evt);
        }

        private WebhookIntake Event(string eventName, TicketEvent evt, JsonElement issue) =>
            new WebhookIntake.Event(DeliveryId(issue), eventName, evt);

        /// <summary>Cloud's delivery identifier; Data Center has none, so a hash of what identifies the event.</summary>
        private string DeliveryId(JsonElement issue)
        {
            if (identifier is not null)
            {
                return identifier;
            }
            var changelogId = root.TryGetProperty("changelog", out var changelog) && changelog.ValueKind == JsonValueKind.Object ? JiraJson.Raw(changelog, "id") : "";
            var text = $"{webhookEvent}\n{JiraJson.Raw(issue, "id")}\n{JiraJson.Raw(root, "timestamp")}\n{changelogId}";
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }

        private (JsonElement Issue, TicketSnapshot Snapshot) Issue()
        {
            var issue = root.GetProperty("issue");
            return (issue, Snapshot(issue, fallbackCreated: null));
        }

        private TicketSnapshot Snapshot(JsonElement issue, DateTimeOffset? fallbackCreated)
        {
            var id = JiraJson.Id(issue, "issue.id");
            var key = ValidKey(JiraJson.Str(issue, "key"));
            var fields = issue.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var status = JiraJson.Child(fields, "status");
            var created = JiraJson.Time(fields, "created") ?? fallbackCreated ?? JiraJson.Epoch(root, "timestamp")
                ?? throw new FormatException("issue.fields.created is missing");
            var snapshot = new TicketSnapshot(
                Key: $"{site.KeyPrefix}:{id}",
                Ref: id,
                Title: JiraJson.Str(fields, "summary") ?? "",
                Url: key is null ? "" : site.Browse(key),
                Author: JiraJson.UserName(JiraJson.Child(fields, "reporter")) ?? "",
                Labels: JiraJson.Strings(fields, "labels"),
                Assignees: JiraJson.UserName(JiraJson.Child(fields, "assignee")) is { } assignee ? [assignee] : [],
                Body: JiraJson.Text(fields, "description"),
                IsOpen: JiraJson.Str(JiraJson.Child(status, "statusCategory"), "key") != "done",
                CreatedAt: created);
            var matches = site.Filter.Matches(JiraJson.Str(JiraJson.Child(fields, "project"), "key"), JiraJson.Str(JiraJson.Child(fields, "issuetype"), "name"));
            return JiraIssueFilter.Remember(snapshot, matches);
        }

        /// <summary>The webhook's own timestamp (milliseconds), else the issue's last update.</summary>
        private DateTimeOffset EventTime(JsonElement issue, TicketSnapshot snapshot) =>
            JiraJson.Epoch(root, "timestamp") ?? JiraJson.Time(JiraJson.Child(issue, "fields"), "updated") ?? snapshot.CreatedAt;

        private bool IsIntegrationUser(JsonElement author) =>
            site.IntegrationUser.Length > 0 && author.ValueKind == JsonValueKind.Object
            && new[] { "accountId", "name", "key" }.Any(p => JiraJson.Str(author, p) == site.IntegrationUser);

        private static string? Resolution(JsonElement issue)
        {
            var fields = JiraJson.Child(issue, "fields");
            return JiraJson.Str(JiraJson.Child(fields, "resolution"), "name") ?? JiraJson.Str(JiraJson.Child(fields, "status"), "name");
        }

        /// <summary>Changelog items name the field as "status" or "Status"; newer ones add a fieldId.</summary>
        private static bool IsField(JsonElement item, string field) =>
            string.Equals(JiraJson.Str(item, "fieldId"), field, StringComparison.Ordinal) || string.Equals(JiraJson.Str(item, "field"), field, StringComparison.OrdinalIgnoreCase);

        private static string? ValidKey(string? key) => key is { Length: > 0 and <= MaxIssueKey } && !key.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? key : null;

        /// <summary>The issue id in a comment's <c>self</c> (…/rest/api/2/issue/{id}/comment/{commentId}); only the id is used, the URL is never called.</summary>
        private static string? IssueIdFromCommentSelf(JsonElement comment)
        {
            var self = JiraJson.Str(comment, "self");
            var at = self?.LastIndexOf("/issue/", StringComparison.Ordinal) ?? -1;
            if (self is null || at < 0)
            {
                return null;
            }
            var id = self[(at + "/issue/".Length)..].Split('/')[0];
            return JiraJson.IsId(id) ? id : null;
        }
    }
}
