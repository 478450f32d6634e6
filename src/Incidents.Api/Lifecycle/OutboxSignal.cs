namespace Incidents.Lifecycle;

/// <summary>Wakes this instance's processor as soon as a request queued work, instead of waiting for the next poll.</summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another request woke it already.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) =>
        Task.WhenAny(_signal.WaitAsync(ct), Task.Delay(timeout, time, ct));
}
