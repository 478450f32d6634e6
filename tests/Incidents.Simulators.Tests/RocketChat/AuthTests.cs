using System.Net;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class AuthTests
{
    [Theory]
    [InlineData(6, """{"status":"error","message":"You must be logged in to do this."}""")]
    [InlineData(7, """{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}""")]
    [InlineData(8, """{"success":false,"error":"You must be logged in to do this."}""")]
    public async Task Me_MissingHeaders_Returns401WithVersionBody(int version, string expected)
    {
        await using var sim = await Sim.StartAsync(version);
        var anonymous = sim.Client(null);

        var result = await anonymous.GetAsync("me");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal(expected, result.Text);
    }

    [Fact]
    public async Task Me_WrongTokenForUser_Returns401()
    {
        await using var sim = await Sim.StartAsync();
        var bot = sim.State.Bot;
        var impostor = sim.Client(bot with { Token = "wrong" });

        var result = await impostor.GetAsync("me");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
    }

    [Fact]
    public async Task Login_SeededUserWithPassword_ReturnsStatusSuccessAndUsableToken()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.State.AddUser("alice", "Alice A.");
        var anonymous = sim.Client(null);

        var login = await anonymous.PostAsync("login", new { user = "alice", password = "password" });

        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Equal("success", login.Json["status"]!.GetValue<string>());
        Assert.True(login.Json["success"]!.GetValue<bool>());
        Assert.Equal(alice.Id, login.Json["data"]!["userId"]!.GetValue<string>());
        Assert.Equal("alice", login.Json["data"]!["me"]!["username"]!.GetValue<string>());
        var session = sim.Client(alice with { Token = login.Json["data"]!["authToken"]!.GetValue<string>() });
        var me = await session.GetAsync("me");
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("alice", me.Json["username"]!.GetValue<string>());
        Assert.True(me.Json["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401Unauthorized()
    {
        await using var sim = await Sim.StartAsync();
        var anonymous = sim.Client(null);

        var result = await anonymous.PostAsync("login", new { user = "incidents.bot", password = "nope" });

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("""{"success":false,"error":"unauthorized"}""", result.Text);
    }

    [Fact]
    public async Task UsersInfo_UnknownUser_ReturnsPlainUserNotFound()
    {
        await using var sim = await Sim.StartAsync();

        var result = await sim.Bot.GetAsync("users.info?username=ghost");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("""{"success":false,"error":"User not found."}""", result.Text);
    }

    [Fact]
    public async Task GeneratePersonalAccessToken_WithPassword2fa_ReturnsWorkingToken()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.State.AddUser("alice", "Alice");
        var client = sim.Client(alice);
        var code = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("password"u8));

        var without2fa = await client.PostAsync("users.generatePersonalAccessToken", new { tokenName = "orchestrator", bypassTwoFactor = true });
        client.Http.DefaultRequestHeaders.Add("x-2fa-code", code);
        client.Http.DefaultRequestHeaders.Add("x-2fa-method", "password");
        var generated = await client.PostAsync("users.generatePersonalAccessToken", new { tokenName = "orchestrator", bypassTwoFactor = true });

        Assert.Equal("totp-required", without2fa.Json["errorType"]!.GetValue<string>());
        var pat = generated.Json["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await sim.Client(alice with { Token = pat }).GetAsync("me")).Status);
    }
}
