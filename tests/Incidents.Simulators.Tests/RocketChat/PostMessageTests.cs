using System.Net;
using System.Text.Json;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class PostMessageTests
{
    [Fact]
    public async Task PostMessage_ByRoomId_ReturnsNumericTsAndEchoesChannel()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.State.AddUser("alice", "Alice A.");
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = "ping @alice and @ghost", alias = "IncidentBot" });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(JsonValueKind.Number, result.Json["ts"]!.GetValueKind());
        Assert.Equal(Sim.Start.ToUnixTimeMilliseconds(), result.Json["ts"]!.GetValue<long>());
        Assert.Equal(roomId, result.Json["channel"]!.GetValue<string>());
        var message = result.Json["message"]!;
        Assert.Equal("2026-03-01T10:00:00.000Z", message["ts"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:00:00.000Z", message["_updatedAt"]!.GetValue<string>());
        Assert.Equal("""{"_id":"incidentsbot00001","username":"incidents.bot","name":"Incidents Bot"}""", message["u"]!.ToJsonString());
        Assert.Equal("""[{"type":"PARAGRAPH","value":[{"type":"PLAIN_TEXT","value":"ping @alice and @ghost"}]}]""", message["md"]!.ToJsonString());
        var mention = Assert.Single(message["mentions"]!.AsArray())!;
        Assert.Equal(alice.Id, mention["_id"]!.GetValue<string>());
        Assert.DoesNotContain("$date", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostMessage_ByChannelName_EchoesTargetString()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostAsync("chat.postMessage", new { channel = "#inc-1", text = "hi" });

        Assert.Equal("#inc-1", result.Json["channel"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostMessage_UnknownRoom_ReturnsInvalidChannel()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.PostAsync("chat.postMessage", new { roomId = "nope", text = "hi" });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("""{"success":false,"error":"[invalid-channel]","errorType":"invalid-channel"}""", result.Text);
    }

    [Fact]
    public async Task PostMessage_Above5000Chars_ReturnsPlainSizeExceeded()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var ok = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = new string('a', 5000) });
        var tooLong = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = new string('a', 5001) });

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("""{"success":false,"error":"error-message-size-exceeded"}""", tooLong.Text);
    }

    [Fact]
    public async Task PostMessage_TmidIn6x_IsRejectedAsUnknownParam()
    {
        await using var sim = await Sim.StartAsync(6);
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var root = await sim.Bot.PostMessageAsync(roomId, "root");

        var result = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = "reply", tmid = root["_id"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("invalid-params", result.Json["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostMessage_NonMemberPrivateGroup_ReturnsPlainNotAllowed()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-p", "p");
        var bob = sim.NewUser("bob");

        var result = await bob.PostAsync("chat.postMessage", new { roomId, text = "hi" });

        Assert.Equal("""{"success":false,"error":"error-not-allowed"}""", result.Text);
    }

    [Fact]
    public async Task SendMessage_ClientId_IsHonouredAndDuplicateRejected()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var first = await sim.Bot.PostAsync("chat.sendMessage", new { message = new { _id = "clientChosenId001", rid = roomId, msg = "hello" } });
        var duplicate = await sim.Bot.PostAsync("chat.sendMessage", new { message = new { _id = "clientChosenId001", rid = roomId, msg = "hello again" } });
        var fetched = await sim.Bot.GetAsync("chat.getMessage?msgId=clientChosenId001");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("clientChosenId001", first.Json["message"]!["_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal("error-duplicate-message-id", duplicate.Json["errorType"]!.GetValue<string>());
        Assert.Equal("hello", fetched.Json["message"]!["msg"]!.GetValue<string>());
        Assert.Single(sim.State.MessagesOf(roomId));
    }

    [Fact]
    public async Task SendMessage_MissingRidOrTshowWithoutTmid_Returns400()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var noRid = await sim.Bot.PostAsync("chat.sendMessage", new { message = new { msg = "x" } });
        var tshow = await sim.Bot.PostAsync("chat.sendMessage", new { message = new { rid = roomId, msg = "x", tshow = true } });

        Assert.Equal("""{"success":false,"error":"The 'rid' property on the message object is missing."}""", noRid.Text);
        Assert.Equal("invalid-params", tshow.Json["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetMessage_Unknown_ReturnsInvalidMessage()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.GetAsync("chat.getMessage?msgId=nope");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("error-invalid-message", result.Json["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_OwnMessage_SetsEditedAtAndEditedBy()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var message = await sim.Bot.PostMessageAsync(roomId, "typo");
        sim.Time.Advance(TimeSpan.FromSeconds(5));

        var result = await sim.Bot.PostAsync("chat.update", new { roomId, msgId = message["_id"]!.GetValue<string>(), text = "fixed" });

        var updated = result.Json["message"]!;
        Assert.Equal("fixed", updated["msg"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:00:05.000Z", updated["editedAt"]!.GetValue<string>());
        Assert.Equal("""{"_id":"incidentsbot00001","username":"incidents.bot"}""", updated["editedBy"]!.ToJsonString());
        Assert.Equal("2026-03-01T10:00:00.000Z", updated["ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_PlainMessage_VanishesAndTsIsStringOfEpochMs()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var message = await sim.Bot.PostMessageAsync(roomId, "oops");
        var msgId = message["_id"]!.GetValue<string>();

        var result = await sim.Bot.PostAsync("chat.delete", new { roomId, msgId });
        var again = await sim.Bot.PostAsync("chat.delete", new { roomId, msgId });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(JsonValueKind.String, result.Json["ts"]!.GetValueKind());
        Assert.Equal(Sim.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), result.Json["ts"]!.GetValue<string>());
        Assert.Empty(sim.State.MessagesOf(roomId));
        Assert.Equal($$"""{"success":false,"error":"No message found with the id of \"{{msgId}}\"."}""", again.Text);
    }

    [Fact]
    public async Task Delete_WithShowDeletedStatus_KeepsRmMessage()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, ShowDeletedStatus = true });
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var message = await sim.Bot.PostMessageAsync(roomId, "oops");

        await sim.Bot.PostAsync("chat.delete", new { roomId, msgId = message["_id"]!.GetValue<string>() });

        var kept = Assert.Single(sim.State.MessagesOf(roomId));
        Assert.Equal("rm", kept.Type);
        Assert.Equal("", kept.Text);
    }

    [Fact]
    public async Task React_Twice_TogglesReactionMap()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var messageId = (await sim.Bot.PostMessageAsync(roomId, "ack?"))["_id"]!.GetValue<string>();

        await sim.Bot.PostAsync("chat.react", new { messageId, emoji = "+1" });
        var reacted = await sim.Bot.GetAsync($"chat.getMessage?msgId={messageId}");
        await sim.Bot.PostAsync("chat.react", new { messageId, emoji = ":+1:" });
        var unreacted = await sim.Bot.GetAsync($"chat.getMessage?msgId={messageId}");

        Assert.Contains("\"reactions\":{\":+1:\":{\"usernames\":[\"incidents.bot\"]}}", reacted.Text, StringComparison.Ordinal);
        Assert.Null(unreacted.Json["message"]!["reactions"]);
    }

    [Fact]
    public async Task PinMessage_Existing_PinsAndPostsSystemMessage()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var messageId = (await sim.Bot.PostMessageAsync(roomId, "root cause: disk"))["_id"]!.GetValue<string>();

        var result = await sim.Bot.PostAsync("chat.pinMessage", new { messageId });

        Assert.Equal("message_pinned", result.Json["message"]!["t"]!.GetValue<string>());
        Assert.True(sim.State.Message(messageId)!.Pinned);
        Assert.Equal(2, sim.State.MessagesOf(roomId).Count);
    }
}
