namespace Incidents.Tickets.Redmine;

/// <summary>The Redmine integration's log lines (event ids 60–69). None carries a key or a token.</summary>
internal static partial class RedmineLog
{
    [LoggerMessage(60, LogLevel.Information, "Redmine {Source} polled: {Issues} changed issues, {Accepted} new events, {Duplicates} already stored; cursor {Cursor:O}")]
    public static partial void Polled(ILogger logger, string source, int issues, int accepted, int duplicates, DateTimeOffset cursor);

    [LoggerMessage(61, LogLevel.Debug, "Redmine {Source}: another instance holds the poll lease")]
    public static partial void PollSkipped(ILogger logger, string source);

    [LoggerMessage(62, LogLevel.Warning, "Redmine {Source} poll stopped: {Error}")]
    public static partial void PollFailed(ILogger logger, string source, string error);

    [LoggerMessage(63, LogLevel.Information, "Redmine {Source} {Event} delivery {DeliveryId}: {Outcome}")]
    public static partial void EventStored(ILogger logger, string source, string @event, string deliveryId, string outcome);

    [LoggerMessage(64, LogLevel.Error, "Redmine {Source} polling iteration failed")]
    public static partial void LoopFailed(ILogger logger, string source, Exception exception);
}
