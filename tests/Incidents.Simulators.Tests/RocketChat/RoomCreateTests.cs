using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class RoomCreateTests
{
    [Theory]
    [InlineData("inc 42")]
    [InlineData("#inc-42")]
    [InlineData("inc-ü")]
    [InlineData("ADMIN")]
    [InlineData("user")]
    public async Task ChannelsCreate_InvalidOrBlockedName_ReturnsInvalidRoomName(string name)
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.PostAsync("channels.create", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("error-invalid-room-name", result.Json["errorType"]!.GetValue<string>());
        Assert.Equal($"{name} is not a valid room name. [error-invalid-room-name]", result.Json["error"]!.GetValue<string>());
        Assert.Equal(name, result.Json["details"]!["channel_name"]!.GetValue<string>());
        Assert.Equal("RocketChat.getValidRoomName", result.Json["details"]!["function"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChannelsCreate_NameWithSurroundingSpaces_IsTrimmed()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.PostAsync("channels.create", new { name = "  inc-7.a_b  " });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("inc-7.a_b", result.Json["channel"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task GroupsCreate_NameOfExistingChannel_ReturnsDuplicateChannelName()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Bot.CreateRoomAsync("inc-42", "c");

        var result = await sim.Bot.PostAsync("groups.create", new { name = "inc-42" });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(
            """{"success":false,"error":"A channel with name 'inc-42' exists [error-duplicate-channel-name]","errorType":"error-duplicate-channel-name","details":{"function":"RocketChat.getValidRoomName","channel_name":"inc-42"}}""",
            result.Text);
    }

    [Fact]
    public async Task ChannelsCreate_NameDiffersOnlyInCase_Succeeds()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Bot.CreateRoomAsync("inc-42");

        var result = await sim.Bot.PostAsync("channels.create", new { name = "INC-42" });

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task ChannelsCreate_NameOfArchivedRoom_ReturnsArchivedDuplicateName()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-42");
        await sim.Bot.PostAsync("channels.archive", new { roomId });

        var result = await sim.Bot.PostAsync("channels.create", new { name = "inc-42" });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("error-archived-duplicate-name", result.Json["errorType"]!.GetValue<string>());
        Assert.Equal("There's an archived channel with name inc-42 [error-archived-duplicate-name]", result.Json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChannelsCreate_NameOfDeletedRoom_Succeeds()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-42");
        await sim.Bot.PostAsync("channels.delete", new { roomId });

        var result = await sim.Bot.PostAsync("channels.create", new { name = "inc-42" });

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task ChannelsCreate_WithMembers_CreatorIsOwnerAndUnknownMembersIgnored()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.AddUser("alice", "Alice");

        var result = await sim.Bot.PostAsync("channels.create", new { name = "inc-1", members = new[] { "alice", "ghost" }, extraData = new { topic = "DB down" } });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var channel = result.Json["channel"]!;
        Assert.Equal("c", channel["t"]!.GetValue<string>());
        Assert.Equal(2, channel["usersCount"]!.GetValue<int>());
        Assert.Equal("DB down", channel["topic"]!.GetValue<string>());
        var room = sim.State.Room("inc-1")!;
        Assert.Equal(["incidents.bot", "alice"], room.Members);
        Assert.Equal([sim.State.Bot.Id], room.OwnerIds);
        Assert.Empty(sim.State.MessagesOf(room.Id));
    }

    [Fact]
    public async Task ChannelsCreate_ExcludeSelf_CreatorIsNotMember()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.AddUser("alice", "Alice");

        await sim.Bot.PostAsync("channels.create", new { name = "inc-1", members = new[] { "alice" }, excludeSelf = true });

        Assert.Equal(["alice"], sim.State.Room("inc-1")!.Members);
    }

    [Fact]
    public async Task GroupsCreate_Valid_ReturnsGroupKeyWithPrivateType()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.PostAsync("groups.create", new { name = "inc-p", extraData = new { broadcast = false, encrypted = false } });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("p", result.Json["group"]!["t"]!.GetValue<string>());
        Assert.Null(result.Json["channel"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", result.Json["group"]!["ts"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(7, """{"success":false,"error":"Body param \"name\" is required"}""")]
    [InlineData(8, """{"success":false,"errorType":"invalid-params","error":"must have required property 'name'"}""")]
    public async Task ChannelsCreate_MissingName_Returns400PerVersion(int version, string expected)
    {
        await using var sim = await Sim.StartAsync(version);

        var result = await sim.Bot.PostAsync("channels.create", new { members = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(expected, result.Text);
    }
}
