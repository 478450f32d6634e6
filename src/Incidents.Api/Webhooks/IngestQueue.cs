using System.Diagnostics;
using Incidents.Lifecycle;
using Incidents.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Webhooks;

/// <summary>
/// Group commit for webhooks. Each request queues its verified event and waits for its outcome; up to
/// <see cref="WebhookOptions.Writers"/> writers take what is queued (at most <see cref="WebhookOptions.MaxBatch"/>
/// events) and store it in one transaction. An idle service writes each event alone as it comes; under load
/// the events that arrived during one commit go into the next, so the database does one look-up and one commit
/// for many webhooks. Every sender still gets its answer only after its event is committed.
/// </summary>
internal sealed class IngestQueue(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, OutboxSignal signal, Telemetry telemetry)
{
    private readonly Lock _lock = new();
    private readonly Queue<QueuedEvent> _queue = new();
    private int _writers;

    /// <summary>Events waiting for a writer.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public Task<ReceiveOutcome> SubmitAsync(ReceiveTicketEvent command)
    {
        var queued = new QueuedEvent(command, Activity.Current?.Id);
        bool startWriter;
        lock (_lock)
        {
            _queue.Enqueue(queued);
            startWriter = _writers < options.Value.Writers;
            if (startWriter)
            {
                _writers++;
            }
        }
        if (startWriter)
        {
            // A writer lives only while there is work; it is not tied to the request that started it.
            _ = Task.Run(WriteWhileQueuedAsync, CancellationToken.None);
        }
        return queued.Completion.Task;
    }

    private async Task WriteWhileQueuedAsync()
    {
        while (true)
        {
            var batch = new List<QueuedEvent>();
            lock (_lock)
            {
                while (batch.Count < options.Value.MaxBatch && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
                if (batch.Count == 0)
                {
                    _writers--;
                    return;
                }
            }
            await WriteAsync(batch);
        }
    }

    /// <summary>Stores a batch and completes every event's task; never throws.</summary>
    private async Task WriteAsync(List<QueuedEvent> batch)
    {
        telemetry.WebhookBatch(batch.Count);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<TicketEventStore>();
            if (batch.Count > 1 && await TryStoreTogetherAsync(store, batch))
            {
                return;
            }
            foreach (var queued in batch)
            {
                try
                {
                    Complete(queued, await store.StoreAsync(queued, CancellationToken.None));
                }
                catch (Exception e)
                {
                    queued.Completion.TrySetException(e);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var queued in batch)
            {
                queued.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// One transaction for the whole batch. False when a row was refused (a redelivery or a concurrent writer of the same
    /// ticket): nothing was stored and each event is then stored alone, which answers each conflict precisely. Any other
    /// failure (the database is unreachable) fails every event of the batch.
    /// </summary>
    private async Task<bool> TryStoreTogetherAsync(TicketEventStore store, List<QueuedEvent> batch)
    {
        try
        {
            var outcomes = await store.StoreAllAsync(batch, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                Complete(batch[i], outcomes[i]);
            }
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private void Complete(QueuedEvent queued, ReceiveOutcome outcome)
    {
        if (outcome == ReceiveOutcome.Accepted)
        {
            signal.Notify();
        }
        queued.Completion.TrySetResult(outcome);
    }
}
