namespace Incidents.Lifecycle;

/// <summary>
/// An outbound API call failed. <see cref="RetryAt"/> is set when the remote side asked us to wait
/// (HTTP 429 or an exhausted rate limit): the outbox then waits until then without counting a failure.
/// </summary>
internal sealed class ExternalCallException(string system, string message, int? status = null, DateTimeOffset? retryAt = null, bool permanent = false)
    : Exception($"{system}: {message}")
{
    public string System { get; } = system;
    public int? Status { get; } = status;
    public DateTimeOffset? RetryAt { get; } = retryAt;
    public bool Permanent { get; } = permanent;
}
