using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class RoomLifecycleTests
{
    private const string NoChannel = """{"success":false,"error":"The required \"roomId\" or \"roomName\" param provided does not match any channel [error-room-not-found]","errorType":"error-room-not-found"}""";
    private const string NoGroup = """{"success":false,"error":"The required \"roomId\" or \"roomName\" param provided does not match any group [error-room-not-found]","errorType":"error-room-not-found"}""";

    [Fact]
    public async Task ChannelsInfo_OnPrivateGroup_ReturnsRoomNotFound()
    {
        await using var sim = await Sim.StartAsync();
        var groupId = await sim.Bot.CreateRoomAsync("inc-p", "p");

        var result = await sim.Bot.GetAsync($"channels.info?roomId={groupId}");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(NoChannel, result.Text);
    }

    [Fact]
    public async Task GroupsInfo_OnChannelOrForNonMember_ReturnsRoomNotFound()
    {
        await using var sim = await Sim.StartAsync();
        var channelId = await sim.Bot.CreateRoomAsync("inc-c");
        var groupId = await sim.Bot.CreateRoomAsync("inc-p", "p");
        var bob = sim.NewUser("bob");

        var onChannel = await sim.Bot.GetAsync($"groups.info?roomId={channelId}");
        var nonMember = await bob.GetAsync($"groups.info?roomName=inc-p");

        Assert.Equal(NoGroup, onChannel.Text);
        Assert.Equal(NoGroup, nonMember.Text);
        Assert.Equal(HttpStatusCode.OK, (await sim.Bot.GetAsync($"groups.info?roomId={groupId}")).Status);
    }

    [Fact]
    public async Task RoomsInfo_NoAccess_ReturnsSwappedNotAllowed()
    {
        await using var sim = await Sim.StartAsync();
        var groupId = await sim.Bot.CreateRoomAsync("inc-p", "p");
        var bob = sim.NewUser("bob");

        var result = await bob.GetAsync($"rooms.info?roomId={groupId}");

        Assert.Equal("""{"success":false,"error":"not-allowed","errorType":"Not Allowed"}""", result.Text);
    }

    [Fact]
    public async Task SetTopic_SameValue_ReturnsPlainErrorAndChangeEmitsSystemMessage()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var first = await sim.Bot.PostAsync("channels.setTopic", new { roomId, topic = "DB outage" });
        var second = await sim.Bot.PostAsync("channels.setTopic", new { roomId, topic = "DB outage" });

        Assert.Equal("""{"topic":"DB outage","success":true}""", first.Text);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("""{"success":false,"error":"The channel topic is the same as what it would be changed to."}""", second.Text);
        var system = Assert.Single(sim.State.MessagesOf(roomId));
        Assert.Equal("room_changed_topic", system.Type);
        Assert.Equal("DB outage", system.Text);
    }

    [Fact]
    public async Task ChannelsInvite_NoResolvableUser_ReturnsSwappedInviteListError()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostAsync("channels.invite", new { roomId, username = "ghost" });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("""{"success":false,"error":"invalid-user-invite-list","errorType":"Cannot invite if no users are provided"}""", result.Text);
    }

    [Fact]
    public async Task GroupsInvite_NoResolvableUser_ReturnsEmptyInviteList()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-p", "p");

        var result = await sim.Bot.PostAsync("groups.invite", new { roomId, usernames = new[] { "ghost" } });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("error-empty-invite-list", result.Json["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChannelsInvite_KnownUser_AddsMemberAndEmitsAuMessage()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.State.AddUser("alice", "Alice");
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostAsync("channels.invite", new { roomId, userId = alice.Id });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(2, result.Json["channel"]!["usersCount"]!.GetValue<int>());
        var au = Assert.Single(sim.State.MessagesOf(roomId));
        Assert.Equal("au", au.Type);
        Assert.Equal("alice", au.Text);
        Assert.Equal(sim.State.Bot.Id, au.UserId);
    }

    [Fact]
    public async Task Archive_ThenPostInviteTopicAndReArchive_AreRejectedButHistoryWorks()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.AddUser("alice", "Alice");
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var archive = await sim.Bot.PostAsync("channels.archive", new { roomId });
        var again = await sim.Bot.PostAsync("channels.archive", new { roomId });
        var post = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = "late" });
        var invite = await sim.Bot.PostAsync("channels.invite", new { roomId, username = "alice" });
        var topic = await sim.Bot.PostAsync("channels.setTopic", new { roomId, topic = "x" });
        var history = await sim.Bot.GetAsync($"channels.history?roomId={roomId}");
        var info = await sim.Bot.GetAsync($"channels.info?roomId={roomId}");

        Assert.Equal("""{"success":true}""", archive.Text);
        const string Archived = """{"success":false,"error":"The channel, inc-1, is archived [error-room-archived]","errorType":"error-room-archived"}""";
        Assert.Equal(Archived, again.Text);
        Assert.Equal("""{"success":false,"error":"room_is_archived"}""", post.Text);
        Assert.Equal(Archived, invite.Text);
        Assert.Equal(Archived, topic.Text);
        Assert.Equal("room-archived", Assert.Single(history.Json["messages"]!.AsArray())!["t"]!.GetValue<string>());
        Assert.True(info.Json["channel"]!["archived"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("c", "channels.delete")]
    [InlineData("p", "groups.delete")]
    [InlineData("c", "rooms.delete")]
    public async Task Delete_Room_RemovesMessagesAndLaterCallsFailWithRoomNotFound(string type, string endpoint)
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1", type);
        await sim.Bot.PostMessageAsync(roomId, "hello");
        await sim.Bot.PostAsync($"{(type == "c" ? "channels" : "groups")}.archive", new { roomId });

        var delete = await sim.Bot.PostAsync(endpoint, new { roomId });

        Assert.Equal("""{"success":true}""", delete.Text);
        var prefix = type == "c" ? "channels" : "groups";
        var info = await sim.Bot.GetAsync($"{prefix}.info?roomId={roomId}");
        var history = await sim.Bot.GetAsync($"{prefix}.history?roomId={roomId}");
        var deleteAgain = await sim.Bot.PostAsync($"{prefix}.delete", new { roomId });
        Assert.All([info, history, deleteAgain], r => Assert.Equal("error-room-not-found", r.Json["errorType"]!.GetValue<string>()));
        Assert.Empty(sim.State.MessagesOf(roomId));
        var snapshot = Assert.Single(sim.State.Rooms);
        Assert.True(snapshot.Deleted);
        var post = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = "x" });
        Assert.Equal("""{"success":false,"error":"[invalid-channel]","errorType":"invalid-channel"}""", post.Text);
    }

    [Fact]
    public async Task Delete_ByNonOwner_ReturnsNotAllowed()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var bob = sim.NewUser("bob");

        var result = await bob.PostAsync("channels.delete", new { roomId });

        Assert.Equal("""{"success":false,"error":"Not allowed [error-not-allowed]","errorType":"error-not-allowed","details":{"method":"eraseRoom"}}""", result.Text);
    }
}
