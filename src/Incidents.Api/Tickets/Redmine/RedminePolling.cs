using Incidents.Lifecycle;
using Microsoft.Extensions.Options;

namespace Incidents.Tickets.Redmine;

/// <summary>
/// Background loop per Redmine instance: poll every <see cref="RedmineOptions.PollInterval"/>; an instance with polling
/// off (webhooks only) still re-reads its statuses now and then, which the webhook needs to tell a close from an edit.
/// Runs where the outbox runs (<c>Outbox:Background</c>); tests drive <see cref="RedminePoller"/> themselves.
/// </summary>
internal sealed class RedminePolling(
    RedminePoller poller,
    IOptions<OutboxOptions> outbox,
    IOptionsMonitor<RedmineOptions> options,
    TimeProvider time,
    ILogger<RedminePolling> log) : BackgroundService
{
    private static readonly TimeSpan StatusRefresh = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        outbox.Value.Background ? Task.WhenAll(poller.Sources().Select(s => LoopAsync(s, stoppingToken))) : Task.CompletedTask;

    private async Task LoopAsync(string source, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var interval = options.Get(source).PollInterval;
            var wait = interval > TimeSpan.Zero ? interval : StatusRefresh;
            try
            {
                if (interval > TimeSpan.Zero)
                {
                    var result = await poller.RunOnceAsync(source, ct);
                    wait = result.Error is null ? interval : Min(interval, AfterFailure);
                }
                else
                {
                    await poller.RefreshAsync(source, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database or Redmine may be down: keep the loop alive and try again.
                RedmineLog.LoopFailed(log, source, e);
                wait = Min(wait, AfterFailure);
            }
            try
            {
                await Task.Delay(wait, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
