using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class HistoryTests
{
    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Texts(ApiResult result) =>
        result.Json["messages"]!.AsArray().Select(m => m!["msg"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task History_LatestAndOldest_AreExclusiveUnlessInclusiveTrue()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        for (var i = 0; i < 5; i++)
        {
            sim.State.SeedMessage(roomId, $"m{i}", Sim.Start.AddSeconds(i));
        }

        var latest = Iso(Sim.Start.AddSeconds(3));
        var oldest = Iso(Sim.Start.AddSeconds(1));
        var exclusive = await sim.Bot.GetAsync($"channels.history?roomId={roomId}&latest={latest}&oldest={oldest}");
        var inclusive = await sim.Bot.GetAsync($"channels.history?roomId={roomId}&latest={latest}&oldest={oldest}&inclusive=true");
        var notExactlyTrue = await sim.Bot.GetAsync($"channels.history?roomId={roomId}&latest={latest}&oldest={oldest}&inclusive=TRUE");

        Assert.Equal(["m2"], Texts(exclusive));
        Assert.Equal(["m3", "m2", "m1"], Texts(inclusive));
        Assert.Equal(["m2"], Texts(notExactlyTrue));
        Assert.Null(exclusive.Json["total"]);
    }

    [Theory]
    [InlineData(7, new[] { "m2", "m1", "m0" })]
    [InlineData(8, new[] { "m1" })]
    public async Task GroupsHistory_InclusiveFalseString_CountsAsTrueOnlyBefore8(int version, string[] expected)
    {
        await using var sim = await Sim.StartAsync(version);
        var roomId = await sim.Bot.CreateRoomAsync("inc-p", "p");
        for (var i = 0; i < 3; i++)
        {
            sim.State.SeedMessage(roomId, $"m{i}", Sim.Start.AddSeconds(i));
        }

        var result = await sim.Bot.GetAsync($"groups.history?roomId={roomId}&latest={Iso(Sim.Start.AddSeconds(2))}&oldest={Iso(Sim.Start)}&inclusive=false");

        Assert.Equal(expected, Texts(result));
    }

    [Fact]
    public async Task History_IdenticalTsBurst_PagesWithInclusiveAndOffset()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        sim.State.SeedMessage(roomId, "before", Sim.Start);
        var burst = Sim.Start.AddSeconds(1);
        for (var i = 0; i < 150; i++)
        {
            sim.State.SeedMessage(roomId, $"b{i}", burst);
        }

        sim.State.SeedMessage(roomId, "after", Sim.Start.AddSeconds(2));
        var seen = new List<string>();
        var at = Iso(burst);
        for (var offset = 0; ; offset += 100)
        {
            var page = Texts(await sim.Bot.GetAsync($"channels.history?roomId={roomId}&latest={at}&oldest={at}&inclusive=true&count=100&offset={offset}"));
            seen.AddRange(page);
            if (page.Length < 100)
            {
                break;
            }
        }

        var exclusive = Texts(await sim.Bot.GetAsync($"channels.history?roomId={roomId}&latest={at}"));

        Assert.Equal(150, seen.Distinct().Count());
        Assert.All(seen, s => Assert.StartsWith("b", s, StringComparison.Ordinal));
        Assert.Equal(["before"], exclusive);
        Assert.Equal("b149", seen[0]);
    }

    [Fact]
    public async Task History_ThreadReplies_HiddenOnChannelsByDefaultShownOnGroups()
    {
        await using var sim = await Sim.StartAsync();
        var channelId = await sim.Bot.CreateRoomAsync("inc-c");
        var groupId = await sim.Bot.CreateRoomAsync("inc-p", "p");
        foreach (var roomId in new[] { channelId, groupId })
        {
            var root = sim.State.SeedMessage(roomId, "root", Sim.Start);
            sim.State.SeedMessage(roomId, "hidden reply", Sim.Start.AddSeconds(1), root.Id);
            sim.State.SeedMessage(new MessageSeed { RoomId = roomId, Text = "shown reply", Ts = Sim.Start.AddSeconds(2), Tmid = root.Id, Tshow = true });
        }

        var channelDefault = Texts(await sim.Bot.GetAsync($"channels.history?roomId={channelId}"));
        var channelAll = Texts(await sim.Bot.GetAsync($"channels.history?roomId={channelId}&showThreadMessages=true"));
        var groupDefault = Texts(await sim.Bot.GetAsync($"groups.history?roomId={groupId}"));
        var groupFalse = Texts(await sim.Bot.GetAsync($"groups.history?roomId={groupId}&showThreadMessages=false"));

        Assert.Equal(["shown reply", "root"], channelDefault);
        Assert.Equal(["shown reply", "hidden reply", "root"], channelAll);
        Assert.Equal(["shown reply", "hidden reply", "root"], groupDefault);
        Assert.Equal(["shown reply", "root"], groupFalse);
    }

    [Fact]
    public async Task History_Count_ChannelsDefault50Clamp100ZeroAllGroupsDefault20Unclamped()
    {
        await using var sim = await Sim.StartAsync();
        var channelId = await sim.Bot.CreateRoomAsync("inc-c");
        var groupId = await sim.Bot.CreateRoomAsync("inc-p", "p");
        for (var i = 0; i < 130; i++)
        {
            sim.State.SeedMessage(channelId, $"c{i}", Sim.Start.AddMilliseconds(i));
            sim.State.SeedMessage(groupId, $"g{i}", Sim.Start.AddMilliseconds(i));
        }

        Assert.Equal(50, Texts(await sim.Bot.GetAsync($"channels.history?roomId={channelId}")).Length);
        Assert.Equal(100, Texts(await sim.Bot.GetAsync($"channels.history?roomId={channelId}&count=500")).Length);
        Assert.Equal(130, Texts(await sim.Bot.GetAsync($"channels.history?roomId={channelId}&count=0")).Length);
        Assert.Equal(20, Texts(await sim.Bot.GetAsync($"groups.history?roomId={groupId}")).Length);
        Assert.Equal(120, Texts(await sim.Bot.GetAsync($"groups.history?roomId={groupId}&count=120")).Length);
    }

    [Fact]
    public async Task History_OffsetAppliesAfterThreadFiltering()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-c");
        var root = sim.State.SeedMessage(roomId, "m0", Sim.Start);
        sim.State.SeedMessage(roomId, "reply", Sim.Start.AddSeconds(1), root.Id);
        sim.State.SeedMessage(roomId, "m1", Sim.Start.AddSeconds(2));
        sim.State.SeedMessage(roomId, "m2", Sim.Start.AddSeconds(3));

        var result = Texts(await sim.Bot.GetAsync($"channels.history?roomId={roomId}&offset=1&count=2"));

        Assert.Equal(["m1", "m0"], result);
    }

    [Fact]
    public async Task History_HiddenAndHiddenSystemTypes_ExcludedButMessagesEndpointKeepsSystemTypes()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, HiddenSystemMessageTypes = ["au"] });
        var roomId = await sim.Bot.CreateRoomAsync("inc-c");
        sim.State.SeedMessage(new MessageSeed { RoomId = roomId, Text = "edit copy", Ts = Sim.Start, Hidden = true });
        sim.State.SeedMessage(new MessageSeed { RoomId = roomId, Text = "alice", Ts = Sim.Start.AddSeconds(1), Type = "au" });
        sim.State.SeedMessage(roomId, "visible", Sim.Start.AddSeconds(2));

        var history = Texts(await sim.Bot.GetAsync($"channels.history?roomId={roomId}"));
        var messages = await sim.Bot.GetAsync($"channels.messages?roomId={roomId}");

        Assert.Equal(["visible"], history);
        Assert.Equal(["visible", "alice"], Texts(messages));
    }

    [Fact]
    public async Task Messages_ReturnsCountOffsetTotalAndIncludesReplies()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-c");
        var root = sim.State.SeedMessage(roomId, "m0", Sim.Start);
        sim.State.SeedMessage(roomId, "reply", Sim.Start.AddSeconds(1), root.Id);
        sim.State.SeedMessage(roomId, "m1", Sim.Start.AddSeconds(2));

        var result = await sim.Bot.GetAsync($"channels.messages?roomId={roomId}&count=2&offset=1");
        var ascending = await sim.Bot.GetAsync($"channels.messages?roomId={roomId}&sort=" + Uri.EscapeDataString("{\"ts\":1}"));

        Assert.Equal(["reply", "m0"], Texts(result));
        Assert.Equal(2, result.Json["count"]!.GetValue<int>());
        Assert.Equal(1, result.Json["offset"]!.GetValue<int>());
        Assert.Equal(3, result.Json["total"]!.GetValue<int>());
        Assert.Equal(["m0", "reply", "m1"], Texts(ascending));
    }

    [Fact]
    public async Task History_BotNotMemberOfPublicChannel_Returns403()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.NewUser("alice");
        var roomId = await alice.CreateRoomAsync("inc-c");

        var history = await sim.Bot.GetAsync($"channels.history?roomId={roomId}");
        var messages = await sim.Bot.GetAsync($"channels.messages?roomId={roomId}");
        var userCanRead = await sim.NewUser("bob").GetAsync($"channels.history?roomId={roomId}");

        Assert.Equal(HttpStatusCode.Forbidden, history.Status);
        Assert.Equal("""{"success":false,"error":"forbidden"}""", history.Text);
        Assert.Equal(HttpStatusCode.Forbidden, messages.Status);
        Assert.Equal(HttpStatusCode.OK, userCanRead.Status);
    }

    [Fact]
    public async Task History_ArchivedRoom_IsReadable()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-c");
        sim.State.SeedMessage(roomId, "m0", Sim.Start);
        await sim.Bot.PostAsync("channels.archive", new { roomId });

        var result = await sim.Bot.GetAsync($"channels.history?roomId={roomId}&showThreadMessages=true&count=100");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(2, Texts(result).Length);
    }
}
