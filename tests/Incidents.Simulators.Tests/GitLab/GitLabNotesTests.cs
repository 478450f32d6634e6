using System.Net;
using System.Net.Http.Json;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.GitLab;

public sealed class GitLabNotesTests
{
    internal static HttpClient Client(Sim sim, string? token = GitLabState.DefaultToken, bool privateTokenHeader = true)
    {
        var http = new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl, "gitlab/api/v4/") };
        if (token is not null)
        {
            if (privateTokenHeader)
            {
                http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
            }
            else
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }
        }
        return http;
    }

    [Fact]
    public async Task CreateNote_InternalWithPrivateToken_Returns201WithGitLabShape()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = "transcript", @internal = true }));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        var json = result.Json;
        Assert.Equal("transcript", json["body"]!.GetValue<string>());
        Assert.Equal("incidents-bot", json["author"]!["username"]!.GetValue<string>());
        Assert.True(json["internal"]!.GetValue<bool>());
        Assert.False(json["system"]!.GetValue<bool>());
        Assert.Equal("Issue", json["noteable_type"]!.GetValue<string>());
        Assert.Equal(7, json["noteable_iid"]!.GetValue<long>());
        Assert.Equal("2026-03-01T10:00:00.000Z", json["created_at"]!.GetValue<string>());
        var stored = Assert.Single(sim.Host.GitLab.Notes(42, 7));
        Assert.Equal(json["id"]!.GetValue<long>(), stored.Id);
        Assert.Equal(1, sim.Host.GitLab.CallCount("notes.create"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("wrong", false)]
    [InlineData(GitLabState.DefaultToken, true)]
    public async Task AnyEndpoint_Token_IsCheckedInEitherHeader(string? token, bool accepted)
    {
        await using var sim = await Sim.StartAsync();
        using var bearer = Client(sim, token, privateTokenHeader: false);

        var result = await ApiResult.ReadAsync(await bearer.GetAsync("projects/42/issues/7/notes"));

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, result.Status);
        if (!accepted)
        {
            Assert.Equal("401 Unauthorized", result.Json["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task CreateNote_LimitIsAMillionCharacters_OverItIs400NoteIsTooLong()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);

        var ok = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = new string('x', 1_000_000) }));
        var tooLong = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = new string('x', 1_000_001) }));
        var missing = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { note = "x" }));

        Assert.Equal(HttpStatusCode.Created, ok.Status);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("400 Bad request - Note {:note=>[\"is too long (maximum is 1000000 characters)\"]}", tooLong.Json["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("body is missing", missing.Json["error"]!.GetValue<string>());
        Assert.Single(sim.Host.GitLab.Notes(42, 7));
    }

    [Fact]
    public async Task CreateNote_QuickActionLine_IsExecutedAndTakenOutAndTrailingWhitespaceStripped()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = "Done here.\r\n/close\n\\/reopen stays\n\n" }));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal("Done here.\n\\/reopen stays", Assert.Single(sim.Host.GitLab.Notes(42, 7)).Body);
        Assert.Equal("closed", sim.Host.GitLab.IssueState(42, 7));
        Assert.Equal("close", result.Json["commands_changes"]!["state_event"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateNote_OnlyCommands_Is202AndStoresNoNote()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = "/close" }));

        Assert.Equal(HttpStatusCode.Accepted, result.Status);
        Assert.Equal("Closed this issue.", result.Json["summary"]![0]!.GetValue<string>());
        Assert.Empty(sim.Host.GitLab.Notes(42, 7));
    }

    [Fact]
    public async Task ListNotes_ManyNotes_PaginatesWithGitLabHeadersOldestFirstWhenAsc()
    {
        await using var sim = await Sim.StartAsync();
        for (var i = 0; i < 45; i++)
        {
            sim.Host.GitLab.AddNote(42, 7, $"note {i}", "alice", system: i % 10 == 0);
            sim.Time.Advance(TimeSpan.FromSeconds(1));
        }
        using var http = Client(sim);

        var first = await ApiResult.ReadAsync(await http.GetAsync("projects/42/issues/7/notes?sort=asc&order_by=created_at&per_page=20&page=1"));
        var last = await ApiResult.ReadAsync(await http.GetAsync("projects/42/issues/7/notes?sort=asc&order_by=created_at&per_page=20&page=3"));
        var comments = await ApiResult.ReadAsync(await http.GetAsync("projects/42/issues/7/notes?sort=asc&activity_filter=only_comments&per_page=100"));
        var newestFirst = await ApiResult.ReadAsync(await http.GetAsync("projects/42/issues/7/notes"));

        Assert.Equal("note 0", first.Json[0]!["body"]!.GetValue<string>());
        Assert.Equal(("1", "20", "2", "", "45", "3"), (first.Header("X-Page"), first.Header("X-Per-Page"), first.Header("X-Next-Page"), first.Header("X-Prev-Page"), first.Header("X-Total"), first.Header("X-Total-Pages")));
        Assert.Contains("rel=\"next\"", first.Header("Link")!);
        Assert.Contains("page=2", first.Header("Link")!);
        Assert.Equal(5, last.Json.AsArray().Count);
        Assert.Equal("", last.Header("X-Next-Page"));
        Assert.DoesNotContain("rel=\"next\"", last.Header("Link")!);
        Assert.Equal(40, comments.Json.AsArray().Count);
        Assert.Equal(20, newestFirst.Json.AsArray().Count);
        Assert.Equal("note 44", newestFirst.Json[0]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateNote_OverTheNotesRateLimit_Is429WithRetryAfter()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.GitLab.NotesCreatePerMinute = 2;
        using var http = Client(sim);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = $"n{i}" })).StatusCode);
        }
        sim.Time.Advance(TimeSpan.FromSeconds(20));
        var limited = await ApiResult.ReadAsync(await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = "n2" }));
        sim.Time.Advance(TimeSpan.FromSeconds(40));
        var again = await http.PostAsJsonAsync("projects/42/issues/7/notes", new { body = "n3" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("40", limited.Header("Retry-After"));
        Assert.Equal("This endpoint has been requested too many times. Try again later.", limited.Json["message"]!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task AnyEndpoint_FaultTooManyRequests_AnswersRackAttackThrottle()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.GitLab.TooManyRequests = 1;
        sim.Host.Faults.GitLab.RetryAfterSeconds = 17;
        using var http = Client(sim);

        var limited = await http.GetAsync("projects/42/issues/7/notes");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("Retry later\n", await limited.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(17), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("0", limited.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("projects/42/issues/7/notes")).StatusCode);
    }

    [Fact]
    public async Task GetIssue_AnyIssue_HasAWebUrl()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);

        var result = await ApiResult.ReadAsync(await http.GetAsync("projects/42/issues/7"));

        Assert.Equal("https://gitlab.example.com/sim-group/project-42/-/issues/7", result.Json["web_url"]!.GetValue<string>());
        Assert.Equal("opened", result.Json["state"]!.GetValue<string>());
    }
}
