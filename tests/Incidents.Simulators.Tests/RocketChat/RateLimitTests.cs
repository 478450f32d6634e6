using System.Globalization;
using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class RateLimitTests
{
    [Fact]
    public async Task History_EleventhCallInWindow_Returns429WithExactMessageAndHeaders()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-c");
        var alice = sim.NewUser("alice");
        var resetAt = (Sim.Start.ToUnixTimeMilliseconds() + 60_000).ToString(CultureInfo.InvariantCulture);

        var results = new List<ApiResult>();
        for (var i = 0; i < 11; i++)
        {
            results.Add(await alice.GetAsync($"channels.history?roomId={roomId}"));
        }

        Assert.All(results.Take(10), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal("10", results[0].Header("X-RateLimit-Limit"));
        Assert.Equal("9", results[0].Header("X-RateLimit-Remaining"));
        Assert.Equal("0", results[9].Header("X-RateLimit-Remaining"));
        var limited = results[10];
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(
            """{"success":false,"error":"Error, too many requests. Please slow down. You must wait 60 seconds before trying this endpoint again. [error-too-many-requests]"}""",
            limited.Text);
        Assert.Equal("10", limited.Header("X-RateLimit-Limit"));
        Assert.Equal("0", limited.Header("X-RateLimit-Remaining"));
        Assert.Equal(resetAt, limited.Header("X-RateLimit-Reset"));
        Assert.Null(limited.Header("Retry-After"));
    }

    [Fact]
    public async Task RateLimit_WaitRoundsUpAndWindowResetsAfterAdvancingTime()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.NewUser("alice");
        for (var i = 0; i < 10; i++)
        {
            await alice.GetAsync("me");
        }

        sim.Time.Advance(TimeSpan.FromMilliseconds(22_500));
        var limited = await alice.GetAsync("me");
        sim.Time.Advance(TimeSpan.FromMilliseconds(37_501));
        var afterReset = await alice.GetAsync("me");

        Assert.Contains("You must wait 38 seconds", limited.Json["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, afterReset.Status);
        Assert.Equal("9", afterReset.Header("X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task RateLimit_IsPerRouteAndSharedByUsersBehindOneIp()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.NewUser("alice");
        var bob = sim.NewUser("bob");
        for (var i = 0; i < 10; i++)
        {
            await alice.GetAsync("me");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await bob.GetAsync("me")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await bob.GetAsync("users.info?username=ghost")).Status);
    }

    [Fact]
    public async Task RateLimit_BotBypasses_NoHeadersAndNo429()
    {
        await using var sim = await Sim.StartAsync();

        ApiResult last = null!;
        for (var i = 0; i < 15; i++)
        {
            last = await sim.Bot.GetAsync("me");
        }

        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Null(last.Header("X-RateLimit-Limit"));
    }

    [Fact]
    public async Task RateLimit_BotWithoutBypass_IsLimited()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, BotBypassesRateLimit = false, RateLimitCalls = 3 });

        var results = new List<ApiResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await sim.Bot.GetAsync("me"));
        }

        Assert.Equal("3", results[0].Header("X-RateLimit-Limit"));
        Assert.Equal(HttpStatusCode.TooManyRequests, results[3].Status);
    }
}
