namespace Incidents.Lifecycle;

/// <summary>The outbox's retry policy: when a failed row runs again, and when it is dead.</summary>
internal static class Retry
{
    public sealed record Decision(int Failures, DateTimeOffset DueAt, bool Dead);

    public static Decision After(OutboxMessage row, Exception error, DateTimeOffset now, OutboxOptions options, Random? random = null)
    {
        // A rate limit is the remote side asking us to wait, not a failure: wait exactly as long as it says.
        if (error is ExternalCallException { RetryAt: { } retryAt })
        {
            return new Decision(row.Failures, retryAt > now ? retryAt : now, Dead: false);
        }
        var failures = row.Failures + 1;
        if (failures >= options.MaxFailures || error is ExternalCallException { Permanent: true })
        {
            return new Decision(failures, now, Dead: true);
        }
        return new Decision(failures, now + Backoff(failures, options, random ?? Random.Shared), Dead: false);
    }

    /// <summary>Exponential backoff with "equal jitter": half fixed, half random, capped.</summary>
    public static TimeSpan Backoff(int failures, OutboxOptions options, Random random)
    {
        var exponential = options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, options.BackoffMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }

    public static string Describe(Exception error)
    {
        var text = error is ExternalCallException or TranscriptVerificationException ? error.Message : $"{error.GetType().Name}: {error.Message}";
        return text.Length > 2000 ? text[..2000] : text;
    }
}
