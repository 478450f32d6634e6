using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Faults;

public sealed class FaultTests
{
    [Fact]
    public async Task Down_RocketChat_Answers503WhileGitHubWorks()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.RocketChat.Down = true;
        using var github = GitHubClient(sim);

        var rc = await sim.Bot.GetAsync("me");
        var gh = await github.GetAsync("repos/acme/ops/issues/1/comments");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, rc.Status);
        Assert.Equal(HttpStatusCode.OK, gh.StatusCode);
        Assert.Equal(1, sim.State.CallCount("me"));
    }

    [Fact]
    public async Task Down_TimeoutMode_HangsUntilClientGivesUp()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.RocketChat.Down = true;
        sim.Host.Faults.RocketChat.DownMode = "timeout";
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sim.Bot.GetAsync("me", cts.Token));
    }

    [Fact]
    public async Task TooManyRequests_RocketChatBurst_Returns429WithEpochMsResetThenRecovers()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.RocketChat.TooManyRequests = 2;
        sim.Host.Faults.RocketChat.RetryAfterSeconds = 30;

        var first = await sim.Bot.GetAsync("me");
        var second = await sim.Bot.GetAsync("me");
        var third = await sim.Bot.GetAsync("me");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(
            """{"success":false,"error":"Error, too many requests. Please slow down. You must wait 30 seconds before trying this endpoint again. [error-too-many-requests]"}""",
            first.Text);
        Assert.Equal("0", first.Header("X-RateLimit-Remaining"));
        Assert.Equal((Sim.Start.ToUnixTimeMilliseconds() + 30_000).ToString(CultureInfo.InvariantCulture), first.Header("X-RateLimit-Reset"));
    }

    [Fact]
    public async Task TooManyRequests_GitHub_Returns429WithRetryAfterAndEpochSecondsReset()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.GitHub.TooManyRequests = 1;
        sim.Host.Faults.GitHub.RetryAfterSeconds = 42;
        using var github = GitHubClient(sim);

        var response = await ApiResult.ReadAsync(await github.PostAsJsonAsync("repos/acme/ops/issues/1/comments", new { body = "x" }));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.Status);
        Assert.Equal("42", response.Header("Retry-After"));
        Assert.Equal("0", response.Header("X-RateLimit-Remaining"));
        Assert.Equal(Sim.Start.AddSeconds(42).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), response.Header("X-RateLimit-Reset"));
        Assert.Empty(sim.Host.GitHub.AllComments);
    }

    [Fact]
    public async Task FailAfterCommit_PostMessage_EffectPersistsButAnswers500()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        sim.Host.Faults.RocketChat.FailAfterCommit = 1;

        var read = await sim.Bot.GetAsync($"channels.history?roomId={roomId}");
        var failed = await sim.Bot.PostAsync("chat.sendMessage", new { message = new { _id = "retryMe0000000001", rid = roomId, msg = "once" } });
        var lookup = await sim.Bot.GetAsync("chat.getMessage?msgId=retryMe0000000001");
        var next = await sim.Bot.PostAsync("chat.postMessage", new { roomId, text = "twice" });

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("""{"success":false,"error":"Internal server error"}""", failed.Text);
        Assert.Equal(HttpStatusCode.OK, lookup.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(2, sim.State.MessagesOf(roomId).Count);
    }

    [Fact]
    public async Task FailAfterCommit_GitHubComment_IsStoredButAnswers500()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.GitHub.FailAfterCommit = 1;
        using var github = GitHubClient(sim);

        var response = await github.PostAsJsonAsync("repos/acme/ops/issues/1/comments", new { body = "x" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(sim.Host.GitHub.Comments("acme", "ops", 1));
    }

    [Fact]
    public async Task ErrorRate_SameSeed_GivesSameFailureSequence()
    {
        async Task<string> RunAsync()
        {
            await using var sim = await Sim.StartAsync();
            sim.Host.Faults.RocketChat.Seed = 7;
            sim.Host.Faults.RocketChat.ErrorRate = 0.5;
            var pattern = "";
            for (var i = 0; i < 20; i++)
            {
                pattern += (await sim.Bot.GetAsync("me")).Status == HttpStatusCode.InternalServerError ? "x" : ".";
            }

            return pattern;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task AdminEndpoint_PostFaultsAndReset_ControlsStandaloneProcess()
    {
        await using var sim = await Sim.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        await sim.Bot.CreateRoomAsync("inc-1");

        var set = await ApiResult.ReadAsync(await http.PostAsJsonAsync("_sim/faults", new { github = new { down = true }, rocketchat = new { latencyMs = 1, tooManyRequests = 1 } }));
        var get = await ApiResult.ReadAsync(await http.GetAsync("_sim/faults"));
        var reset = await http.PostAsync("_sim/reset", null);

        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.True(get.Json["github"]!["down"]!.GetValue<bool>());
        Assert.Equal(1, get.Json["rocketchat"]!["tooManyRequests"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False(sim.Host.Faults.GitHub.Down);
        Assert.Empty(sim.State.Rooms);
        Assert.Equal(0, sim.State.TotalCalls);
        Assert.Equal(HttpStatusCode.OK, (await sim.Bot.GetAsync("me")).Status);
    }

    private static HttpClient GitHubClient(Sim sim)
    {
        var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "github-token");
        return http;
    }
}
