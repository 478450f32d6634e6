using System.Net;
using System.Net.Http.Headers;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Seeding;

public sealed class CallsEndpointTests
{
    [Fact]
    public async Task Calls_CountsEveryEndpointOfBothSystems()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        using var github = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        github.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "github-token");
        var roomId = await sim.Bot.CreateRoomAsync("inc-calls");
        await sim.Bot.GetAsync($"channels.history?roomId={roomId}");
        await sim.Bot.GetAsync($"channels.history?roomId={roomId}");
        (await github.GetAsync("repos/acme/ops/issues/1/comments")).Dispose();

        var calls = await ApiResult.ReadAsync(await http.GetAsync("_sim/calls"));

        Assert.Equal(HttpStatusCode.OK, calls.Status);
        Assert.Equal(2, calls.Json["rocketchat"]!["channels.history"]!.GetValue<int>());
        Assert.Equal(1, calls.Json["rocketchat"]!["channels.create"]!.GetValue<int>());
        Assert.Equal(1, calls.Json["github"]!["comments.list"]!.GetValue<int>());
        Assert.Null(calls.Json["rocketchat"]!["_sim"]);
    }

    [Fact]
    public async Task Calls_AfterReset_AreEmpty()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        await sim.Bot.GetAsync("me");

        (await http.PostAsync("_sim/reset", null)).Dispose();
        var calls = await ApiResult.ReadAsync(await http.GetAsync("_sim/calls"));

        Assert.Empty(calls.Json["rocketchat"]!.AsObject());
        Assert.Empty(calls.Json["github"]!.AsObject());
    }
}
