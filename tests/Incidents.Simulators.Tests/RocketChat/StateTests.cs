using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class StateTests
{
    [Fact]
    public async Task CallCount_CountsPerEndpointAndTotal()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        await sim.Bot.GetAsync($"channels.history?roomId={roomId}");
        await sim.Bot.GetAsync($"channels.history?roomId={roomId}");

        Assert.Equal(2, sim.State.CallCount("channels.history"));
        Assert.Equal(1, sim.State.CallCount("channels.create"));
        Assert.Equal(3, sim.State.TotalCalls);
    }

    [Fact]
    public async Task SeedMessage_HundredThousandMessages_PagesWithinBudget()
    {
        await using var sim = await Sim.StartAsync();
        var room = sim.State.CreateRoom("inc-big");
        for (var i = 0; i < 100_000; i++)
        {
            sim.State.SeedMessage(room.Id, $"m{i}", Sim.Start.AddMilliseconds(i / 3));
        }

        var seen = new HashSet<string>();
        string? latest = null;
        var calls = 0;
        while (true)
        {
            var query = latest is null ? "" : $"&latest={latest}&inclusive=true";
            var page = (await sim.Bot.GetAsync($"channels.history?roomId={room.Id}&count=100&showThreadMessages=true{query}")).Json["messages"]!.AsArray();
            calls++;
            var fresh = page.Where(m => seen.Add(m!["_id"]!.GetValue<string>())).Count();
            if (page.Count < 100 || fresh == 0)
            {
                break;
            }

            latest = page[^1]!["ts"]!.GetValue<string>();
        }

        Assert.Equal(100_000, seen.Count);
        Assert.InRange(calls, 1000, 1100);
    }
}
