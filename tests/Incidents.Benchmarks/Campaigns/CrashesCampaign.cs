using System.Globalization;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Ticket lives sent while the only instance is killed with SIGKILL at random moments and restarted on the same
/// database; webhooks that got no answer or a 503 are redelivered. The end state must be the one of a clean run.
/// </summary>
internal static class CrashesCampaign
{
    private const int ReopenEvery = 4;
    private const string Lease = "00:00:05";

    public static async Task<CampaignResult> RunAsync(CampaignOptions options, CancellationToken ct)
    {
        var tickets = options.Tickets ?? 200;
        var kills = options.Kills ?? 50;
        var payloads = new TicketPayloads();
        var lives = Enumerable.Range(1, tickets).Select(n => Lifecycles.Life(payloads, n, n % ReopenEvery == 0)).ToList();
        await using var stack = await CampaignStack.StartAsync(1, new Dictionary<string, string> { ["Outbox__LeaseDuration"] = Lease }, ct);
        // Slow every outside call a little, so kills land in the middle of steps.
        await stack.SimState.FaultsAsync(new { rocketchat = new { latencyMs = 20 }, github = new { latencyMs = 20 } }, ct);
        using var sender = new WebhookSender();
        var service = stack.Instances[0];
        var services = new[] { service.BaseUrl };
        var random = new Random(options.Seed);
        var sendingDone = false;
        var failed = 0;

        var sending = Parallel.ForEachAsync(lives, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (life, token) =>
        {
            foreach (var delivery in life)
            {
                var status = await sender.DeliverAsync(services, 0, delivery, TimeSpan.FromMinutes(3), token);
                if (status is < 200 or >= 300)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }).ContinueWith(_ => sendingDone = true, ct, TaskContinuationOptions.None, TaskScheduler.Default);

        // Kill at random moments: after each restart the instance lives 0.2–2 s (bounded by count and time).
        var killedWhileBusy = 0;
        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(10);
        while (TimeProvider.System.GetUtcNow() < until && (service.Kills < kills || !sendingDone) && service.Kills < kills * 3)
        {
            using (var alive = new PeriodicTimer(TimeSpan.FromMilliseconds(random.Next(200, 2000))))
            {
                await alive.WaitForNextTickAsync(ct);
            }

            var progress = await stack.Db.ProgressAsync(ct);
            killedWhileBusy += progress.Pending > 0 || !sendingDone ? 1 : 0;
            await service.KillAsync();
            await service.StartAsync(ct);
        }

        await sending;
        Console.WriteLine($"  {service.Kills} kills ({killedWhileBusy} while work was pending or webhooks were being sent); answers: {sender.Summary()}");
        var settled = await EndState.SettleAsync(stack, TimeSpan.FromMinutes(10), ct);
        Console.WriteLine($"  settled: {settled}");
        var expected = Enumerable.Range(1, tickets).ToDictionary(n => n, n => (HashSet<int>?)[Lifecycles.Periods(n % ReopenEvery == 0)]);
        var checks = await EndState.CheckAsync(stack, expected, ct);
        var deliveries = lives.Sum(l => l.Count);
        checks.Insert(0, Check.AtLeast("SIGKILLs", kills, service.Kills));
        checks.Insert(1, Check.Equal("webhooks never acknowledged despite redelivery", 0, failed));
        checks.Insert(2, Check.Equal("acknowledged deliveries not stored", 0, await stack.Db.MissingDeliveriesAsync(sender.Acknowledged.Keys, ct)));
        checks.Insert(3, Check.Equal("delivery rows", deliveries, await stack.Db.ScalarAsync("SELECT count(*) FROM deliveries", ct)));
        var sim = await stack.Sim.CallsAsync(ct);
        return new CampaignResult(
            "crashes",
            string.Create(CultureInfo.InvariantCulture, $"{tickets} lifecycles ({tickets / ReopenEvery} reopened), {deliveries} webhooks, 4 tickets in flight, 1 instance, Outbox:LeaseDuration {Lease}, 20 ms latency on every outside call"),
            string.Create(CultureInfo.InvariantCulture, $"SIGKILL of the service at random moments (0.2–2 s after each restart), {service.Kills} times, restarted on the same database; unanswered webhooks redelivered"),
            checks,
            [
                $"answers: {sender.Summary()}",
                $"kills while work was pending or webhooks in flight: {killedWhileBusy}",
                $"channels.create calls: {sim["rocketchat"].GetValueOrDefault("channels.create")}, comments.create: {sim["github"].GetValueOrDefault("comments.create")}",
            ]);
    }
}
