using System.Collections.Concurrent;
using System.Globalization;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Ticket lives sent at a steady pace through a schedule of outages: Rocket.Chat 503s, then timeouts, a 429 storm
/// with answers lost after commit, GitHub failing 30 % of calls and rate limiting, and PostgreSQL stopped (immediate)
/// and started again. Webhooks answered 503 (or not at all) are redelivered; every acknowledged one must be stored.
/// </summary>
internal static class OutagesCampaign
{
    private const int ReopenEvery = 4;

    public static async Task<CampaignResult> RunAsync(CampaignOptions options, CancellationToken ct)
    {
        var tickets = options.Tickets ?? 200;
        var payloads = new TicketPayloads();
        var lives = Enumerable.Range(1, tickets).Select(n => Lifecycles.Life(payloads, n, n % ReopenEvery == 0)).ToList();
        await using var stack = await CampaignStack.StartAsync(1, new Dictionary<string, string>
        {
            ["Outbox__LeaseDuration"] = "00:00:30",
            ["Outbox__MaxFailures"] = "60",
        }, ct, durable: true);
        using var sender = new WebhookSender();
        var services = stack.Instances.Select(i => i.BaseUrl).ToList();
        var failed = 0;
        var schedule = TimeSpan.FromSeconds(80);
        var interval = schedule / tickets;

        var sending = SendPacedAsync();
        var log = new List<string>();
        var dbWindow = new ConcurrentDictionary<int, int>();
        var phases = new (string What, object Faults, TimeSpan Hold)[]
        {
            ("Rocket.Chat down (503)", new { rocketchat = new { down = true, downMode = "503" } }, TimeSpan.FromSeconds(12)),
            ("Rocket.Chat down (timeouts)", new { rocketchat = new { down = true, downMode = "timeout" } }, TimeSpan.FromSeconds(12)),
            ("Rocket.Chat 429 storm (60 × Retry-After 2 s) and 5 answers lost after commit", new { rocketchat = new { down = false, tooManyRequests = 60, retryAfterSeconds = 2, failAfterCommit = 5 } }, TimeSpan.FromSeconds(10)),
            ("GitHub failing 30 % of calls", new { rocketchat = new { tooManyRequests = 0 }, github = new { errorRate = 0.3, seed = 1 } }, TimeSpan.FromSeconds(15)),
            ("GitHub 429 storm (30 × Retry-After 2 s) and 3 answers lost after commit", new { github = new { errorRate = 0.0, tooManyRequests = 30, retryAfterSeconds = 2, failAfterCommit = 3 } }, TimeSpan.FromSeconds(8)),
        };
        foreach (var (what, faults, hold) in phases)
        {
            await stack.SimState.FaultsAsync(faults, ct);
            log.Add($"{what} for {hold.TotalSeconds:F0} s");
            Console.WriteLine($"  fault: {what}");
            await HoldAsync(hold, ct);
        }

        await stack.SimState.FaultsAsync(new { rocketchat = new { down = false, tooManyRequests = 0, errorRate = 0.0 }, github = new { tooManyRequests = 0, errorRate = 0.0 } }, ct);
        Console.WriteLine("  fault: PostgreSQL stopped (immediate)");
        sender.Window = dbWindow;
        await stack.Postgres.StopServerAsync(ct);
        await HoldAsync(TimeSpan.FromSeconds(10), ct);
        await stack.Postgres.StartServerAsync(ct);
        sender.Window = null;
        log.Add("PostgreSQL (fsync and synchronous_commit on) stopped (-m immediate) for 10 s, then started");
        await sending;
        Console.WriteLine($"  answers: {sender.Summary()}; during the database outage: {WebhookSender.Describe(dbWindow)}");

        var settled = await EndState.SettleAsync(stack, TimeSpan.FromMinutes(10), ct);
        Console.WriteLine($"  settled: {settled}");
        var expected = Enumerable.Range(1, tickets).ToDictionary(n => n, n => (HashSet<int>?)[Lifecycles.Periods(n % ReopenEvery == 0)]);
        var checks = await EndState.CheckAsync(stack, expected, ct);
        var deliveries = lives.Sum(l => l.Count);
        var dbOutage2xx = dbWindow.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
        checks.Insert(0, Check.Equal("webhooks never acknowledged despite redelivery", 0, failed));
        checks.Insert(1, Check.Equal("acknowledged deliveries not stored", 0, await stack.Db.MissingDeliveriesAsync(sender.Acknowledged.Keys, ct)));
        checks.Insert(2, Check.Equal("delivery rows", deliveries, await stack.Db.ScalarAsync("SELECT count(*) FROM deliveries", ct)));
        checks.Insert(3, Check.Equal("5xx other than 503 for webhooks", 0, sender.Statuses.Where(s => s.Key >= 500 && s.Key != 503).Sum(s => s.Value)));
        checks.Insert(4, Check.AtLeast("webhooks answered 503 (or not at all) while PostgreSQL was down", 1, dbWindow.Where(s => s.Key is 503 or 0).Sum(s => s.Value)));
        var sim = await stack.Sim.CallsAsync(ct);
        return new CampaignResult(
            "outages",
            string.Create(CultureInfo.InvariantCulture, $"{tickets} lifecycles ({tickets / ReopenEvery} reopened), {deliveries} webhooks paced over {schedule.TotalSeconds:F0} s, 1 instance, Outbox:MaxFailures 60, BackoffMax 5 s"),
            string.Join("; ", log),
            checks,
            [
                $"answers: {sender.Summary()}",
                $"answers while PostgreSQL was down: {WebhookSender.Describe(dbWindow)} (2xx among them: {dbOutage2xx}, each checked stored)",
                $"channels.create calls: {sim["rocketchat"].GetValueOrDefault("channels.create")}, comments.create: {sim["github"].GetValueOrDefault("comments.create")}",
            ]);

        async Task SendPacedAsync()
        {
            using var pace = new PeriodicTimer(interval);
            var running = new List<Task>();
            foreach (var life in lives)
            {
                running.Add(SendLifeAsync(life));
                await pace.WaitForNextTickAsync(ct);
            }

            await Task.WhenAll(running);
        }

        async Task SendLifeAsync(List<Delivery> life)
        {
            foreach (var delivery in life)
            {
                var status = await sender.DeliverAsync(services, 0, delivery, TimeSpan.FromMinutes(3), ct);
                if (status is < 200 or >= 300)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }
    }

    /// <summary>Keeps a fault in place for a while (the campaign's schedule, not a wait for a condition).</summary>
    private static async Task HoldAsync(TimeSpan hold, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(hold);
        await timer.WaitForNextTickAsync(ct);
    }
}
