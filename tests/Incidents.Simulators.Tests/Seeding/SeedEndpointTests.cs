using System.Net;
using System.Net.Http.Json;
using Incidents.Simulators.Seeding;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Seeding;

public sealed class SeedEndpointTests
{
    [Fact]
    public async Task Seed_SmallChannel_ExactThreadsRepliesFilesAndIncreasingTimestamps()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var roomId = await sim.Bot.CreateRoomAsync("inc-seed");

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("_sim/seed", new
        {
            room = "inc-seed", messages = 60, threads = 5, repliesPerThread = 3, files = 4, fileBytes = 100, seed = 7, start = Sim.Start, spacingMs = 2,
        }));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(60, result.Json["messages"]!.GetValue<int>());
        Assert.Equal(45, result.Json["topLevel"]!.GetValue<int>());
        Assert.Equal(5, result.Json["threads"]!.GetValue<int>());
        Assert.Equal(15, result.Json["replies"]!.GetValue<int>());
        Assert.Equal(4, result.Json["files"]!.GetValue<int>());
        Assert.Equal(400, result.Json["fileBytes"]!.GetValue<long>());
        Assert.Equal(roomId, result.Json["roomId"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:00:00.000Z", result.Json["first"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:00:00.118Z", result.Json["last"]!.GetValue<string>());
        var messages = sim.State.MessagesOf(roomId);
        Assert.Equal(60, messages.Count);
        Assert.Equal(60, result.Json["roomMessages"]!.GetValue<int>());
        Assert.All(messages.Zip(messages.Skip(1)), pair => Assert.Equal(TimeSpan.FromMilliseconds(2), pair.Second.Ts - pair.First.Ts));
        var roots = messages.Where(m => m.Tcount is not null).ToList();
        Assert.Equal(5, roots.Count);
        Assert.All(roots, root => Assert.Equal(3, root.Tcount));
        Assert.All(roots, root => Assert.Equal(3, messages.Count(m => m.Tmid == root.Id)));
        Assert.All(messages.Where(m => m.Tmid is not null), reply => Assert.True(reply.Ts > messages.Single(m => m.Id == reply.Tmid).Ts));
        Assert.All(messages, m => Assert.InRange(m.Text.Length, 100, 300));
        Assert.All(messages, m => Assert.Contains(m.Username, new[] { "alice", "bob", "carol", "dave" }));
        Assert.Equal(4, sim.State.FilesOf(roomId).Count);
        Assert.Equal(4, messages.Count(m => m.FileIds.Count == 1 && m.Tmid is null));
    }

    [Fact]
    public void Seed_FirstSeedingsOfManyRoomsAtOnce_AllSucceedAndCreateEachAuthorOnce()
    {
        // The authors are created by the first seeding; many first seedings released at the same instant must not
        // both create "alice" (seen as empty 500s when a benchmark seeded rooms in parallel).
        for (var round = 0; round < 20; round++)
        {
            var state = new RocketChatState(new SimulatorOptions());
            var rooms = Enumerable.Range(0, 8).Select(i => state.CreateRoom($"inc-par-{i}")).ToList();
            using var start = new Barrier(rooms.Count);
            Parallel.ForEach(rooms, new ParallelOptions { MaxDegreeOfParallelism = rooms.Count }, room =>
            {
                start.SignalAndWait();
                ChannelSeeder.Seed(state, new SeedRequest { Room = room.Name, Messages = 2 }, room);
            });
            Assert.Equal(4, state.Users.Count(u => u.Username is "alice" or "bob" or "carol" or "dave"));
        }
    }

    [Fact]
    public async Task Seed_SameSeedTwice_SameTextsAuthorsAndFileBytes()
    {
        var first = await SeedAsync(seed: 3);
        var second = await SeedAsync(seed: 3);
        var other = await SeedAsync(seed: 4);

        Assert.Equal(first.Texts, second.Texts);
        Assert.Equal(first.Authors, second.Authors);
        Assert.Equal(first.Files, second.Files);
        Assert.NotEqual(first.Texts, other.Texts);
        Assert.NotEqual(first.Files, other.Files);
    }

    [Fact]
    public async Task Seed_BurstEvery_GroupsMessagesInOneMillisecond()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var roomId = await sim.Bot.CreateRoomAsync("inc-burst");

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("_sim/seed", new { room = roomId, messages = 250, burstEvery = 125, spacingMs = 5 }));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var instants = sim.State.MessagesOf(roomId).GroupBy(m => m.Ts).Select(g => g.Count()).ToList();
        Assert.Equal([125, 125], instants);
    }

    [Fact]
    public async Task Seed_InvalidBodyOrUnknownRoom_IsRefusedAndChangesNothing()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var roomId = await sim.Bot.CreateRoomAsync("inc-refused");

        var tooManyReplies = await ApiResult.ReadAsync(await http.PostAsJsonAsync("_sim/seed", new { room = roomId, messages = 10, threads = 5, repliesPerThread = 2 }));
        var unknown = await ApiResult.ReadAsync(await http.PostAsJsonAsync("_sim/seed", new { room = "no-such-room", messages = 10 }));
        var notJson = await ApiResult.ReadAsync(await http.PostAsync("_sim/seed", new StringContent("{", System.Text.Encoding.UTF8, "application/json")));

        Assert.Equal(HttpStatusCode.BadRequest, tooManyReplies.Status);
        Assert.Contains("exceeds messages", tooManyReplies.Json["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Empty(sim.State.MessagesOf(roomId));
    }

    [Fact]
    public async Task Seed_FullSizeChannel_IsServedByHistoryWithThreadReplies()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var roomId = await sim.Bot.CreateRoomAsync("inc-large");

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("_sim/seed", new
        {
            room = roomId, messages = 100_000, threads = 5_000, repliesPerThread = 5, files = 200, fileBytes = 1024, start = Sim.Start,
        }));
        var newest = await sim.Bot.GetAsync($"channels.history?roomId={roomId}&count=100&showThreadMessages=true");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(100_000, result.Json["messages"]!.GetValue<int>());
        Assert.Equal(5_000, result.Json["threads"]!.GetValue<int>());
        Assert.Equal(25_000, result.Json["replies"]!.GetValue<int>());
        Assert.Equal(200, result.Json["files"]!.GetValue<int>());
        Assert.Equal(100_000, sim.State.Room(roomId)!.MessageCount);
        Assert.Equal(100, newest.Json["messages"]!.AsArray().Count);
        Assert.Equal("2026-03-01T10:01:39.999Z", newest.Json["messages"]![0]!["ts"]!.GetValue<string>());
    }

    private static async Task<(string[] Texts, string[] Authors, string[] Files)> SeedAsync(int seed)
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var roomId = await sim.Bot.CreateRoomAsync("inc-det");
        using var response = await http.PostAsJsonAsync("_sim/seed", new { room = roomId, messages = 30, threads = 3, repliesPerThread = 2, files = 3, fileBytes = 64, seed });
        response.EnsureSuccessStatusCode();
        var messages = sim.State.MessagesOf(roomId);
        var files = sim.State.FilesOf(roomId).Select(f => Convert.ToHexString(sim.State.FindUpload(f.Id)!.Content)).ToArray();
        return ([.. messages.Select(m => m.Text)], [.. messages.Select(m => m.Username)], files);
    }
}
