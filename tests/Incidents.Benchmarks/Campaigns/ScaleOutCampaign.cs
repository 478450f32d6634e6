using System.Globalization;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Three instances on one database, webhooks round-robin; one instance is killed (SIGKILL) while it holds leases, and
/// the others must take its rows over once the (short) lease expires.
/// </summary>
internal static class ScaleOutCampaign
{
    private const int ReopenEvery = 4;
    private const string Lease = "00:00:10";

    public static async Task<CampaignResult> RunAsync(CampaignOptions options, CancellationToken ct)
    {
        var tickets = options.Tickets ?? 1000;
        var payloads = new TicketPayloads();
        var lives = Enumerable.Range(1, tickets).Select(n => Lifecycles.Life(payloads, n, n % ReopenEvery == 0)).ToList();
        await using var stack = await CampaignStack.StartAsync(3, new Dictionary<string, string> { ["Outbox__LeaseDuration"] = Lease }, ct);
        using var sender = new WebhookSender();
        var services = stack.Instances.Select(i => i.BaseUrl).ToList();
        var victim = stack.Instances[1];
        var victimPid = victim.Pid ?? throw new InvalidOperationException("service-b is not running");
        var next = -1;
        var sentTickets = 0;
        var killAt = tickets * 2 / 5;
        long leasedAtKill = 0;
        var killTask = Task.CompletedTask;
        var failed = 0;

        await Parallel.ForEachAsync(lives, new ParallelOptions { MaxDegreeOfParallelism = options.Batch, CancellationToken = ct }, async (life, token) =>
        {
            foreach (var delivery in life)
            {
                var status = await sender.DeliverAsync(services, Interlocked.Increment(ref next), delivery, TimeSpan.FromSeconds(60), token);
                if (status is < 200 or >= 300)
                {
                    Interlocked.Increment(ref failed);
                }
            }

            if (Interlocked.Increment(ref sentTickets) == killAt)
            {
                killTask = KillWhileLeasingAsync();
            }
        });

        async Task KillWhileLeasingAsync()
        {
            // Kill the victim at a moment it holds unfinished rows (bounded wait), so there is something to take over.
            await Poll.UntilAsync("service-b holds leases", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20),
                async t => await stack.Db.LeasedByPidAsync(victimPid, t) > 0 ? "leasing" : null, ct);
            await victim.KillAsync();
            leasedAtKill = await stack.Db.LeasedByPidAsync(victimPid, ct);
            Console.WriteLine($"  killed service-b (pid {victimPid}) holding {leasedAtKill} unfinished leased rows");
        }

        await killTask;
        Console.WriteLine($"  sent {lives.Sum(l => l.Count)} webhooks round-robin: {sender.Summary()}");
        var progress = await EndState.SettleAsync(stack, TimeSpan.FromMinutes(10), ct);
        Console.WriteLine($"  settled: {progress}");
        var expected = Enumerable.Range(1, tickets).ToDictionary(n => n, n => (HashSet<int>?)[Lifecycles.Periods(n % ReopenEvery == 0)]);
        var checks = await EndState.CheckAsync(stack, expected, ct);
        var deliveries = lives.Sum(l => l.Count);
        checks.Insert(0, Check.Equal("webhooks not acknowledged after redelivery", 0, failed));
        checks.Insert(1, Check.Equal("delivery rows", deliveries, await stack.Db.ScalarAsync("SELECT count(*) FROM deliveries", ct)));
        checks.Add(Check.AtLeast("rows leased by the killed instance at the kill", 1, leasedAtKill));
        checks.Add(Check.Equal("rows of the killed instance not taken over", 0, await stack.Db.LeasedByPidAsync(victimPid, ct)));
        var sim = await stack.Sim.CallsAsync(ct);
        return new CampaignResult(
            "scale-out",
            string.Create(CultureInfo.InvariantCulture, $"{tickets} lifecycles ({tickets / ReopenEvery} reopened), {deliveries} webhooks round-robin over 3 instances, {options.Batch} tickets in flight, Outbox:LeaseDuration {Lease}"),
            string.Create(CultureInfo.InvariantCulture, $"SIGKILL of 1 of 3 instances after {killAt} tickets, while it held leases"),
            checks,
            [
                $"answers: {sender.Summary()}",
                $"rows leased by the victim at the kill: {leasedAtKill}",
                $"channels.create calls: {sim["rocketchat"].GetValueOrDefault("channels.create")}, comments.create: {sim["github"].GetValueOrDefault("comments.create")}",
            ]);
    }
}
