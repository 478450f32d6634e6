using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Incidents.Tickets.Redmine;

/// <summary>
/// The redmine_webhook plugin's deliveries (ticket-systems.md §6a): <c>{"payload":{"action":"opened"|"updated","issue":{…},"journal":{…}}}</c>.
/// The plugin signs nothing and sends no delivery id, so the URL configured in it carries a shared token
/// (<c>?token=…</c>, or the <c>X-Webhook-Token</c> header from a proxy), and events are deduplicated on the issue and
/// journal ids — the same delivery ids the poller uses, so a change seen by both is stored once.
/// </summary>
internal static class RedmineWebhook
{
    public const string TokenHeader = "X-Webhook-Token";
    public const string TokenQuery = "token";

    /// <summary>Compares the configured token with the one given, in constant time (over their SHA-256, so lengths leak nothing).</summary>
    public static bool VerifyToken(string configured, string? given)
    {
        if (string.IsNullOrEmpty(configured) || string.IsNullOrEmpty(given))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
    }

    public static WebhookIntake Read(ReadOnlyMemory<byte> body, RedmineEvents events, string? project)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var payload = doc.RootElement.GetProperty("payload");
            var action = payload.GetProperty("action").GetString();
            if (action is not ("opened" or "updated"))
            {
                return new WebhookIntake.Ignored($"action '{action}' is not handled");
            }
            var issue = RedmineJson.Issue(payload.GetProperty("issue"));
            if (!string.IsNullOrEmpty(project) && !string.Equals(issue.ProjectIdentifier, project, StringComparison.OrdinalIgnoreCase))
            {
                return new WebhookIntake.Ignored($"issue of project '{issue.ProjectIdentifier}', not '{project}'");
            }
            if (action == "opened")
            {
                var opened = events.Opened(issue, "webhook");
                return new WebhookIntake.Event(opened.DeliveryId, opened.EventName, opened.Event);
            }
            if (!payload.TryGetProperty("journal", out var journalJson) || journalJson.ValueKind != JsonValueKind.Object)
            {
                return new WebhookIntake.Malformed("an 'updated' payload without a journal");
            }
            var journal = RedmineJson.Journal(journalJson);
            // The plugin's statuses carry no is_closed: without the status list we cannot tell a close from an edit.
            // The poller reads the list (and delivers this change under the same delivery id).
            var change = journal.StatusChange;
            if (events.IsClosed(issue.StatusId) is null
                || (change is not null && (!Known(events, change.OldValue) || !Known(events, change.NewValue))))
            {
                return new WebhookIntake.Ignored("the issue statuses are not known yet; the poller delivers this change");
            }
            return events.Journal(issue, journal, "webhook") is { } delivery
                ? new WebhookIntake.Event(delivery.DeliveryId, delivery.EventName, delivery.Event)
                : new WebhookIntake.Ignored("a journal of the integration user, or nothing to relay");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            return new WebhookIntake.Malformed($"the redmine_webhook payload is not valid: {e.Message}");
        }
    }

    private static bool Known(RedmineEvents events, string? statusId) =>
        int.TryParse(statusId, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id) && events.IsClosed(id) is not null;
}
