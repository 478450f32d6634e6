using Incidents.Web;
using Microsoft.Extensions.Options;

namespace Incidents.Lifecycle;

/// <summary>Background loop: run due outbox work as it arrives, and reconcile now and then.</summary>
internal sealed class LifecycleWorker(
    OutboxProcessor processor,
    OutboxSignal signal,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<LifecycleWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Background
            ? Task.WhenAll(
                Loop(ct => processor.RunUntilIdleAsync(ct, signal), wait: ct => signal.WaitAsync(options.Value.PollInterval, time, ct), stoppingToken),
                Loop(ReconcileAsync, wait: ct => Task.Delay(options.Value.ReconcileInterval, time, ct), stoppingToken))
            : Task.CompletedTask;

    private async Task<int> ReconcileAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Reconciler>().RunOnceAsync(ct);
        return 0;
    }

    /// <summary>Runs <paramref name="work"/> again at once while it finds something to do, else after <paramref name="wait"/>.</summary>
    private async Task Loop(Func<CancellationToken, Task<int>> work, Func<CancellationToken, Task> wait, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await work(stoppingToken) > 0)
                {
                    continue;
                }
                await wait(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be down: keep the loop alive and try again after the poll interval.
                Log.WorkerFailed(log, e);
                try
                {
                    await Task.Delay(options.Value.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
