using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Seeding;

public sealed class StateEndpointTests
{
    [Fact]
    public async Task State_ListsEveryRoomAndCommentIncludingDeletedOnes()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var kept = await sim.Bot.CreateRoomAsync("inc-state-kept");
        var gone = await sim.Bot.CreateRoomAsync("inc-state-gone");
        await sim.Bot.PostAsync("channels.delete", new { roomId = gone });
        sim.Host.GitHub.AddComment("acme", "ops", 7, "first line\nsecond line");

        var state = await ApiResult.ReadAsync(await http.GetAsync("_sim/state"));

        Assert.Equal(HttpStatusCode.OK, state.Status);
        var rooms = state.Json["rooms"]!.AsArray();
        Assert.False(rooms.Single(r => r!["id"]!.GetValue<string>() == kept)!["deleted"]!.GetValue<bool>());
        Assert.True(rooms.Single(r => r!["id"]!.GetValue<string>() == gone)!["deleted"]!.GetValue<bool>());
        var comment = state.Json["comments"]!.AsArray().Single()!;
        Assert.Equal(("acme", "ops", 7), (comment["owner"]!.GetValue<string>(), comment["repo"]!.GetValue<string>(), comment["number"]!.GetValue<int>()));
        Assert.Equal("first line", comment["firstLine"]!.GetValue<string>());
        Assert.Equal("first line\nsecond line".Length, comment["bodyLength"]!.GetValue<int>());
    }
}
