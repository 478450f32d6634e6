using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class EnvelopeTests
{
    [Fact]
    public async Task AnySuccess_Always_HasSuccessTrueAndNoStoreHeaders()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.GetAsync("me");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.True(result.Json["success"]!.GetValue<bool>());
        Assert.Equal("application/json", result.ContentHeaders.ContentType!.MediaType);
        Assert.Equal("no-store", result.Header("Cache-Control"));
        Assert.Equal("no-cache", result.Header("Pragma"));
    }

    [Fact]
    public async Task UnknownRoute_Always_Returns404()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.GetAsync("channels.doesNotExist");

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.False(result.Json["success"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(6, """{"success":false,"error":"must NOT have additional properties [invalid-params]","errorType":"invalid-params"}""")]
    [InlineData(7, """{"success":false,"errorType":"error-invalid-params","error":"must NOT have additional properties"}""")]
    [InlineData(8, """{"success":false,"errorType":"error-invalid-params","error":"must NOT have additional properties"}""")]
    public async Task History_UnknownQueryParam_Returns400PerVersion(int version, string expected)
    {
        await using var sim = await Sim.StartAsync(version);
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.GetAsync($"channels.history?roomId={roomId}&bogus=1");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(expected, result.Text);
    }

    [Fact]
    public async Task PostMessage_UnknownBodyParamIn8x_ReturnsInvalidParamsWithoutBracketSuffix()
    {
        await using var sim = await Sim.StartAsync(8);
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = "x", bogus = true });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("""{"success":false,"errorType":"invalid-params","error":"must NOT have additional properties"}""", result.Text);
    }

    [Fact]
    public async Task History_MissingRoom_Returns400RoomParamError()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.GetAsync("channels.history");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("error-roomid-param-not-provided", result.Json["errorType"]!.GetValue<string>());
        Assert.Equal("The parameter \"roomId\" or \"roomName\" is required [error-roomid-param-not-provided]", result.Json["error"]!.GetValue<string>());
    }
}
