namespace Incidents.Web;

/// <summary>Every log line the service writes. No message here ever carries a secret or a token.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Webhook {Source} {Event} delivery {DeliveryId}: {Outcome}")]
    public static partial void WebhookHandled(ILogger logger, string source, string @event, string deliveryId, string outcome);

    [LoggerMessage(2, LogLevel.Warning, "Webhook {Source} rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string source, string reason);

    [LoggerMessage(10, LogLevel.Information, "Outbox {Id} {Kind} for incident {IncidentId} done in {Milliseconds:F0} ms")]
    public static partial void OutboxDone(ILogger logger, long id, string kind, Guid incidentId, double milliseconds);

    [LoggerMessage(11, LogLevel.Warning, "Outbox {Id} {Kind} for incident {IncidentId} failed ({Failures} failures), next attempt at {DueAt:O}: {Error}")]
    public static partial void OutboxRetry(ILogger logger, long id, string kind, Guid incidentId, int failures, DateTimeOffset dueAt, string error);

    [LoggerMessage(12, LogLevel.Error, "Outbox {Id} {Kind} for incident {IncidentId} is dead after {Failures} failures: {Error}")]
    public static partial void OutboxDead(ILogger logger, long id, string kind, Guid incidentId, int failures, string error);

    [LoggerMessage(15, LogLevel.Warning, "Outbox {Id} {Kind}: its outcome could not be recorded; it runs again when its lease expires")]
    public static partial void OutboxFinishFailed(ILogger logger, long id, string kind, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "Outbox: {Count} row(s) claimed ahead could not be given back; they run again when their leases expire")]
    public static partial void ClaimedAheadNotReleased(ILogger logger, int count, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Outbox {Id}: its lease could not be extended")]
    public static partial void LeaseNotExtended(ILogger logger, long id, Exception exception);

    [LoggerMessage(13, LogLevel.Information, "Reconciler queued work for incident {IncidentId} channel {Channel} ({Status})")]
    public static partial void Reconciled(ILogger logger, Guid incidentId, string channel, string status);

    [LoggerMessage(14, LogLevel.Error, "Lifecycle worker iteration failed")]
    public static partial void WorkerFailed(ILogger logger, Exception exception);

    /// <summary>The sandbox's throwaway admin key is generated for this run and shown on purpose: it protects nothing real.</summary>
    [LoggerMessage(30, LogLevel.Warning, "Incidents SANDBOX is running (simulated Rocket.Chat and GitHub, nothing leaves this machine): open {Url} — admin API key for this run: {AdminKey}")]
    public static partial void SandboxReady(ILogger logger, string url, string adminKey);

    [LoggerMessage(20, LogLevel.Error, "Unhandled error on {Path}")]
    public static partial void Unhandled(ILogger logger, string path, Exception exception);
}
