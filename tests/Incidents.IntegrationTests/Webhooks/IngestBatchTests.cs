using System.Net;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Incidents.IntegrationTests.Webhooks;

/// <summary>
/// Group commit: webhooks that arrive while the writer is committing are stored together in one transaction,
/// and each sender still gets the answer its own event deserves. The writer is held inside PostgreSQL by a row
/// lock the test owns (an uncommitted delivery with the same id), so the queue fills deterministically.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IngestBatchTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static TicketId Ticket(int number) => new(1296269, "Codertocat/Hello-World", number);

    private static GitHubPayload Opened(int number) => GitHubPayload.Load("issues.opened.json").For(Ticket(number)).Opened(Created);

    private static GitHubPayload Comment(int number, int second, string text) =>
        GitHubPayload.Load("issue_comment.created.json").For(Ticket(number)).Comment(Harness.Start.AddSeconds(second), text);

    [Fact]
    public async Task Receive_WebhooksArrivingDuringACommit_AreStoredTogetherInOneTransaction()
    {
        await using var held = await HeldWriter.StartAsync(postgres);
        var h = held.Harness;
        var sent = new List<(string Delivery, Task<HttpResponseMessage> Response)>();
        async Task Queue(GitHubPayload payload, string? delivery = null)
        {
            delivery ??= Guid.NewGuid().ToString();
            sent.Add((delivery, h.DeliverAsync(payload, delivery)));
            await held.UntilWaitingAsync(sent.Count); // keeps the queue in sending order
        }
        await Queue(Opened(1));
        await Queue(Opened(2));
        await Queue(Comment(2, 10, "first comment"));
        await Queue(Comment(2, 11, "second comment"));
        await Queue(Opened(3), "same-delivery-twice");
        await Queue(Opened(3), "same-delivery-twice");
        await Queue(Comment(4, 12, "on a closed ticket we never saw").With(p => p["issue"]!["state"] = "closed"));

        Assert.Equal(HttpStatusCode.Accepted, (await held.ReleaseAsync()).StatusCode);
        var statuses = (await Task.WhenAll(sent.Select(s => s.Response))).Select(r => r.StatusCode).ToList();

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted,
            HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.NoContent], statuses);
        var stored = sent.Take(5).Select(s => s.Delivery).ToList();
        Assert.Equal(1, await held.TransactionsOfAsync(stored));
        Assert.Equal(4, await h.QueryAsync(db => db.Incidents.CountAsync())); // the held one + tickets 1, 2, 3
        Assert.Equal(6, await h.QueryAsync(db => db.Deliveries.CountAsync()));
        // Ticket 2's comments were applied after its opening, in the same transaction: they are queued for its channel.
        var posts = await h.QueryAsync(db => db.Outbox.Where(o => o.Kind == "post-message").Select(o => o.Text).ToListAsync());
        Assert.Contains(posts, t => t!.EndsWith("first comment", StringComparison.Ordinal));
        Assert.Contains(posts, t => t!.EndsWith("second comment", StringComparison.Ordinal));
        await h.RunOutboxAsync();
        var name = await h.QueryAsync(db => db.Incidents.Where(i => i.TicketRef == "Codertocat/Hello-World#2").SelectMany(i => i.Channels).Select(c => c.Name).SingleAsync());
        var room = Assert.Single(h.Sims.RocketChat.Rooms, r => r.Name == name);
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.True(texts.FindIndex(t => t.EndsWith("first comment", StringComparison.Ordinal)) < texts.FindIndex(t => t.EndsWith("second comment", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Receive_ABatchWithARedelivery_IsStoredEventByEventWithTheRightAnswers()
    {
        await using var held = await HeldWriter.StartAsync(postgres, stored: Opened(7));
        var h = held.Harness;
        var sent = new List<(string Delivery, Task<HttpResponseMessage> Response)>();
        foreach (var (payload, delivery) in new[] { (Opened(1), "new-1"), (Opened(7), HeldWriter.StoredDelivery), (Opened(2), "new-2") })
        {
            sent.Add((delivery, h.DeliverAsync(payload, delivery)));
            await held.UntilWaitingAsync(sent.Count);
        }

        await held.ReleaseAsync();
        var statuses = (await Task.WhenAll(sent.Select(s => s.Response))).Select(r => r.StatusCode).ToList();

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Accepted], statuses);
        // The batch's transaction was refused as a whole (nothing half-stored) and the two new events went in one by one.
        Assert.Equal(2, await held.TransactionsOfAsync(["new-1", "new-2"]));
        Assert.Equal(1, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.DeliveryId == HeldWriter.StoredDelivery)));
        Assert.Equal(4, await h.QueryAsync(db => db.Incidents.CountAsync())); // held, 7, 1, 2
        Assert.Equal(4, await h.QueryAsync(db => db.Timeline.CountAsync(t => t.Kind == "webhook")));
    }

    /// <summary>
    /// A service with one webhook writer, held: the test inserts a delivery row in a transaction it keeps open and sends
    /// a webhook with the same delivery id, whose INSERT then waits on the unique index inside PostgreSQL.
    /// </summary>
    private sealed class HeldWriter : IAsyncDisposable
    {
        public const string StoredDelivery = "stored-before";
        private const string HeldDelivery = "held-by-the-test";
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _lock;
        private readonly Task<HttpResponseMessage> _held;
        private readonly string _database;
        private readonly QueueWatch _watch;

        private HeldWriter(Harness harness, string database, NpgsqlConnection connection, NpgsqlTransaction @lock, Task<HttpResponseMessage> held, QueueWatch watch) =>
            (Harness, _database, _connection, _lock, _held, _watch) = (harness, database, connection, @lock, held, watch);

        public Harness Harness { get; }

        public static async Task<HeldWriter> StartAsync(PostgresServer postgres, GitHubPayload? stored = null)
        {
            var database = "";
            var harness = await Harness.StartAsync(postgres, s =>
            {
                s["Webhooks:Writers"] = "1";
                database = s["ConnectionStrings:Incidents"]!;
            });
            if (stored is not null)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await harness.DeliverAsync(stored, StoredDelivery)).StatusCode);
            }
            var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO deliveries (source, delivery_id, event, received_at) VALUES ('github', @id, 'issues', now())", connection, transaction))
            {
                insert.Parameters.AddWithValue("id", HeldDelivery);
                await insert.ExecuteNonQueryAsync();
            }
            var watch = new QueueWatch();
            harness.Services.GetRequiredService<IngestQueue>().WaitingChanged += watch.Record;
            var held = harness.DeliverAsync(Opened(999), HeldDelivery);
            // Queued (1), then taken by the only writer (0): from here the writer cannot finish before the test rolls its row back.
            await watch.UntilAsync(seen => seen is [.., 1, 0], "the writer to take the held webhook");
            return new HeldWriter(harness, database, connection, transaction, held, watch);
        }

        /// <summary>Waits until <paramref name="count"/> events wait for the held writer.</summary>
        public Task UntilWaitingAsync(int count) =>
            _watch.UntilAsync(seen => seen[^1] == count, $"{count} queued webhook events");

        /// <summary>Rolls the test's row back: the held webhook's INSERT goes through and the writer takes what was queued.</summary>
        public async Task<HttpResponseMessage> ReleaseAsync()
        {
            await _lock.RollbackAsync();
            return await _held;
        }

        /// <summary>How many transactions wrote these deliveries (rows written by one transaction share its xmin).</summary>
        public async Task<long> TransactionsOfAsync(IReadOnlyList<string> deliveries)
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand(
                "SELECT count(DISTINCT xmin::text) FROM deliveries WHERE delivery_id = ANY(@ids)", connection);
            query.Parameters.AddWithValue("ids", deliveries.ToArray());
            return (long)(await query.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            await _lock.DisposeAsync();
            await _connection.DisposeAsync();
            await Harness.DisposeAsync();
        }
    }

    /// <summary>Every value <see cref="IngestQueue.WaitingChanged"/> reported, and waiters completed as soon as what they wait for was seen.</summary>
    private sealed class QueueWatch
    {
        private readonly Lock _lock = new();
        private readonly List<int> _seen = [];
        private readonly List<(Func<List<int>, bool> Done, TaskCompletionSource Signal)> _waiters = [];

        public void Record(int waiting)
        {
            lock (_lock)
            {
                _seen.Add(waiting);
                foreach (var waiter in _waiters.Where(w => w.Done(_seen)).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        public async Task UntilAsync(Func<List<int>, bool> done, string what)
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (_seen.Count > 0 && done(_seen))
                {
                    return;
                }
                _waiters.Add((seen => seen.Count > 0 && done(seen), signal));
            }
            try
            {
                await signal.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Timed out waiting for {what}; the queue reported [{string.Join(", ", _seen)}].");
            }
        }
    }
}
