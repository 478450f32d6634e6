using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class ThreadTests
{
    [Fact]
    public async Task ReplyToReply_IsFlattenedToRootAndUpdatesRoot()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.State.AddUser("alice", "Alice");
        var aliceClient = sim.Client(alice);
        var roomId = await sim.Bot.CreateRoomAsync("inc-1", "c", "alice");
        var rootId = (await sim.Bot.PostMessageAsync(roomId, "root"))["_id"]!.GetValue<string>();
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        var replyId = (await aliceClient.PostMessageAsync(roomId, "reply", rootId))["_id"]!.GetValue<string>();
        sim.Time.Advance(TimeSpan.FromSeconds(1));

        var nested = await sim.Bot.PostAsync("chat.sendMessage", new { message = new { rid = roomId, msg = "nested", tmid = replyId } });

        Assert.Equal(rootId, nested.Json["message"]!["tmid"]!.GetValue<string>());
        var root = sim.State.Message(rootId)!;
        Assert.Equal(2, root.Tcount);
        Assert.Equal(Sim.Start.AddSeconds(2), root.Tlm);
        Assert.Equal([sim.State.Bot.Id, alice.Id], root.Replies);
        var rootJson = (await sim.Bot.GetAsync($"chat.getMessage?msgId={rootId}")).Json["message"]!;
        Assert.Equal(2, rootJson["tcount"]!.GetValue<int>());
        Assert.Equal("2026-03-01T10:00:02.000Z", rootJson["tlm"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetThreadMessages_ReturnsRepliesAscendingWithoutRoot()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var rootId = (await sim.Bot.PostMessageAsync(roomId, "root"))["_id"]!.GetValue<string>();
        for (var i = 1; i <= 3; i++)
        {
            sim.Time.Advance(TimeSpan.FromMilliseconds(1));
            await sim.Bot.PostMessageAsync(roomId, $"r{i}", rootId);
        }

        var result = await sim.Bot.GetAsync($"chat.getThreadMessages?tmid={rootId}&count=2");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(["r1", "r2"], result.Json["messages"]!.AsArray().Select(m => m!["msg"]!.GetValue<string>()));
        Assert.Equal(2, result.Json["count"]!.GetValue<int>());
        Assert.Equal(0, result.Json["offset"]!.GetValue<int>());
        Assert.Equal(3, result.Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetThreadMessages_UnknownRoot_ReturnsInvalidMessage()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.GetAsync("chat.getThreadMessages?tmid=nope");

        Assert.Equal("error-invalid-message", result.Json["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetThreadsList_ReturnsOnlyRootsSortedByLastReplyDescending()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var a = (await sim.Bot.PostMessageAsync(roomId, "thread A"))["_id"]!.GetValue<string>();
        var b = (await sim.Bot.PostMessageAsync(roomId, "thread B"))["_id"]!.GetValue<string>();
        await sim.Bot.PostMessageAsync(roomId, "not a thread");
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        await sim.Bot.PostMessageAsync(roomId, "on B", b);
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        await sim.Bot.PostMessageAsync(roomId, "on A", a);

        var result = await sim.Bot.GetAsync($"chat.getThreadsList?rid={roomId}");

        Assert.Equal([a, b], result.Json["threads"]!.AsArray().Select(m => m!["_id"]!.GetValue<string>()));
        Assert.Equal(2, result.Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_ThreadRoot_KeepsRootAsRm()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var rootId = (await sim.Bot.PostMessageAsync(roomId, "root"))["_id"]!.GetValue<string>();
        await sim.Bot.PostMessageAsync(roomId, "reply", rootId);

        await sim.Bot.PostAsync("chat.delete", new { roomId, msgId = rootId });

        var root = sim.State.Message(rootId)!;
        Assert.Equal("rm", root.Type);
        Assert.Equal("", root.Text);
        Assert.Equal(2, sim.State.MessagesOf(roomId).Count);
    }
}
