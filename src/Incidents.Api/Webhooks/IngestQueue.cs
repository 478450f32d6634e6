using System.Diagnostics;
using Incidents.Lifecycle;
using Incidents.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Webhooks;

/// <summary>
/// Group commit for webhooks. Each request queues its verified event and waits for its outcome. A writer takes
/// everything queued (at most <see cref="WebhookOptions.MaxBatch"/> events), looks up their incidents and stages
/// their rows, then commits them in one transaction. Only one writer gathers at a time; while it commits, the
/// next one (up to <see cref="WebhookOptions.Writers"/>) gathers what arrived meanwhile. An idle service writes each
/// event alone as it comes; under load one look-up and one commit serve many webhooks. Every sender still gets its
/// answer only after its own event is committed.
/// </summary>
internal sealed class IngestQueue(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, OutboxSignal signal, Telemetry telemetry)
{
    private readonly Lock _lock = new();
    private readonly Queue<QueuedEvent> _queue = new();
    private readonly SemaphoreSlim _gathering = new(1, 1);
    private int _writers;

    /// <summary>Raised with the number of events waiting for a writer each time it changes (an event queued, a batch taken).</summary>
    public event Action<int>? WaitingChanged;

    public Task<ReceiveOutcome> SubmitAsync(ReceiveTicketEvent command)
    {
        var queued = new QueuedEvent(command, Activity.Current?.Id);
        bool startWriter;
        int waiting;
        lock (_lock)
        {
            _queue.Enqueue(queued);
            waiting = _queue.Count;
            startWriter = _writers < options.Value.Writers;
            if (startWriter)
            {
                _writers++;
            }
        }
        WaitingChanged?.Invoke(waiting);
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
            await _gathering.WaitAsync();
            var gate = new Gate(_gathering);
            var batch = new List<QueuedEvent>();
            int waiting;
            lock (_lock)
            {
                while (batch.Count < options.Value.MaxBatch && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
                waiting = _queue.Count;
                if (batch.Count == 0)
                {
                    _writers--;
                }
            }
            if (batch.Count == 0)
            {
                gate.Open();
                return;
            }
            WaitingChanged?.Invoke(waiting);
            await WriteAsync(batch, gate);
        }
    }

    /// <summary>Stores a batch and completes every event's task; opens the gate once its rows are staged. Never throws.</summary>
    private async Task WriteAsync(List<QueuedEvent> batch, Gate gate)
    {
        telemetry.WebhookBatch(batch.Count);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<TicketEventStore>();
            if (await TryStoreTogetherAsync(store, batch, gate))
            {
                return;
            }
            gate.Open();
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
        finally
        {
            gate.Open();
        }
    }

    /// <summary>
    /// One transaction for the whole batch (also for a batch of one: the same fast path). False when a row was refused
    /// (a redelivery, a concurrent writer of the same ticket): nothing was stored and each event is then stored alone,
    /// which answers each conflict precisely. Any other failure (the database is unreachable) fails every event of the batch.
    /// </summary>
    private async Task<bool> TryStoreTogetherAsync(TicketEventStore store, List<QueuedEvent> batch, Gate gate)
    {
        try
        {
            ReceiveOutcome[] outcomes;
            try
            {
                outcomes = await store.StageAllAsync(batch, CancellationToken.None);
            }
            finally
            {
                gate.Open(); // the next writer gathers while this one commits
            }
            await store.SaveAsync(CancellationToken.None);
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

    /// <summary>The gathering turn of one writer, handed on exactly once.</summary>
    private sealed class Gate(SemaphoreSlim gathering)
    {
        private int _open;

        public void Open()
        {
            if (Interlocked.Exchange(ref _open, 1) == 0)
            {
                gathering.Release();
            }
        }
    }
}
