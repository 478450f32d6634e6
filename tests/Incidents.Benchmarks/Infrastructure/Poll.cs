namespace Incidents.Benchmarks.Infrastructure;

/// <summary>Polls a condition until it yields a value or a deadline passes.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(string what, TimeSpan timeout, TimeSpan interval, Func<CancellationToken, Task<T?>> probe, CancellationToken ct)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var timer = new PeriodicTimer(interval);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe(deadline.Token) is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !deadline.IsCancellationRequested))
            {
                last = e;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
        }

        throw new TimeoutException($"{what}: not reached within {timeout}" + (last is null ? "" : $" (last error: {last.Message})"));
    }
}
