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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Background)
        {
            return;
        }
        var nextReconcile = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextReconcile)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<Reconciler>().RunOnceAsync(stoppingToken);
                    nextReconcile = time.GetUtcNow() + options.Value.ReconcileInterval;
                }
                if (await processor.RunOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be down: keep the loop alive and try again after the poll interval.
                Log.WorkerFailed(log, e);
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
