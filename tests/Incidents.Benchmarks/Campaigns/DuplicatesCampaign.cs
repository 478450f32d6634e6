using System.Globalization;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Every delivery three times (same delivery id), the whole list shuffled (closes before opens, comments before
/// opens), sent in concurrent batches; the expected channels per ticket come from the ordering rule applied to the
/// order actually sent, with every order possible inside a concurrent batch.
/// </summary>
internal static class DuplicatesCampaign
{
    private const int Copies = 3;
    private const int ReopenEvery = 4;

    public static async Task<CampaignResult> RunAsync(CampaignOptions options, CancellationToken ct)
    {
        var tickets = options.Tickets ?? 500;
        var payloads = new TicketPayloads();
        var deliveries = Enumerable.Range(1, tickets).SelectMany(n => Lifecycles.Life(payloads, n, n % ReopenEvery == 0)).ToList();
        var random = new Random(options.Seed);
        var sends = deliveries.SelectMany(d => Enumerable.Repeat(d, Copies)).ToArray();
        random.Shuffle(sends);
        var batches = sends.Chunk(options.Batch).ToList();

        await using var stack = await CampaignStack.StartAsync(1, new Dictionary<string, string>(), ct);
        using var sender = new WebhookSender();
        var services = stack.Instances.Select(i => i.BaseUrl).ToList();
        var firstBatch = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var b = 0; b < batches.Count; b++)
        {
            foreach (var d in batches[b])
            {
                firstBatch.TryAdd(d.Id, b);
            }

            await Task.WhenAll(batches[b].Select(d => sender.DeliverAsync(services, 0, d, TimeSpan.FromSeconds(60), ct)));
            await stack.WatchAsync(ct);
        }

        Console.WriteLine($"  sent {sends.Length} webhooks in {batches.Count} concurrent batches: {sender.Summary()}");
        var progress = await EndState.SettleAsync(stack, TimeSpan.FromMinutes(10), ct);
        Console.WriteLine($"  settled: {progress}");

        var expected = new Dictionary<int, HashSet<int>?>();
        var ambiguous = 0;
        foreach (var ticket in deliveries.GroupBy(d => d.Ticket))
        {
            var groups = ticket.GroupBy(d => firstBatch[d.Id]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<Transition>)[.. g.Select(d => d.Transition)]).ToList();
            var possible = PeriodModel.Possible(groups);
            expected[ticket.Key] = possible;
            ambiguous += possible is { Count: 1 } ? 0 : 1;
        }

        var concurrentSameTicket = batches.Count(b => b.GroupBy(d => d.Ticket).Any(g => g.Select(d => d.Id).Distinct().Count() > 1));
        var concurrentSameDelivery = batches.Count(b => b.GroupBy(d => d.Id).Any(g => g.Count() > 1));
        var merged = expected.Count(e => e.Value is { Count: 1 } s && s.First() < Lifecycles.Periods(e.Key % ReopenEvery == 0));
        var checks = await EndState.CheckAsync(stack, expected, ct);
        var accepted = sender.Statuses.GetValueOrDefault(202);
        checks.Insert(0, Check.Equal("deliveries stored (202)", deliveries.Count, accepted));
        checks.Insert(1, Check.Equal("redeliveries answered 200", sends.Length - deliveries.Count, sender.Statuses.GetValueOrDefault(200)));
        checks.Insert(2, Check.Equal("delivery rows", deliveries.Count, await stack.Db.ScalarAsync("SELECT count(*) FROM deliveries", ct)));
        var sim = await stack.Sim.CallsAsync(ct);
        return new CampaignResult(
            "duplicates",
            string.Create(CultureInfo.InvariantCulture, $"{tickets} tickets ({tickets / ReopenEvery} reopened and closed again), {deliveries.Count} deliveries × {Copies} = {sends.Length} webhooks, shuffled, concurrent batches of {options.Batch}, 1 instance"),
            "every delivery 3× with the same X-GitHub-Delivery; global shuffle (closes before opens, comments before opens)",
            checks,
            [
                $"answers: {sender.Summary()}",
                $"batches with ≥2 different deliveries of one ticket: {concurrentSameTicket}, with copies of one delivery: {concurrentSameDelivery}",
                $"tickets whose periods the order merged: {merged}; tickets with a concurrency-dependent expectation: {ambiguous}",
                $"rooms.create/channels.create calls: {sim["rocketchat"].GetValueOrDefault("channels.create")}, comments.create: {sim["github"].GetValueOrDefault("comments.create")}",
            ]);
    }
}
