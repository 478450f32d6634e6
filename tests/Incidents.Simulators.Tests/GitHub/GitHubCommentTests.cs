using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.GitHub;

public sealed class GitHubCommentTests
{
    private static HttpClient Client(Sim sim, string? token = "github-token", string scheme = "Bearer")
    {
        var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("incidents-tests", "1.0"));
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        return http;
    }

    [Fact]
    public async Task CreateComment_ValidBody_Returns201WithGitHubShape()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim, scheme: "token");

        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("repos/acme/ops/issues/7/comments", new { body = "transcript" }));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        var json = result.Json;
        var id = json["id"]!.GetValue<long>();
        Assert.Equal($"https://github.com/acme/ops/issues/7#issuecomment-{id}", json["html_url"]!.GetValue<string>());
        Assert.Equal($"{sim.Host.BaseUrl}repos/acme/ops/issues/comments/{id}", json["url"]!.GetValue<string>());
        Assert.Equal("transcript", json["body"]!.GetValue<string>());
        Assert.Equal("incidents-bot", json["user"]!["login"]!.GetValue<string>());
        Assert.Equal("Bot", json["user"]!["type"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:00:00Z", json["created_at"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["node_id"]!.GetValue<string>()));
        Assert.Equal("5000", result.Header("X-RateLimit-Limit"));
        Assert.Equal("4999", result.Header("X-RateLimit-Remaining"));
        Assert.Equal(Sim.Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), result.Header("X-RateLimit-Reset"));
        var stored = Assert.Single(sim.Host.GitHub.Comments("acme", "ops", 7));
        Assert.Equal(id, stored.Id);
        Assert.Equal(1, sim.Host.GitHub.CallCount("comments.create"));
    }

    [Fact]
    public async Task CreateComment_BodyLimit_65536OkAnd65537Returns422()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);

        var ok = await ApiResult.ReadAsync(await http.PostAsJsonAsync("repos/acme/ops/issues/7/comments", new { body = new string('x', 65536) }));
        var tooLong = await ApiResult.ReadAsync(await http.PostAsJsonAsync("repos/acme/ops/issues/7/comments", new { body = new string('x', 65537) }));
        var missing = await ApiResult.ReadAsync(await http.PostAsJsonAsync("repos/acme/ops/issues/7/comments", new { text = "x" }));

        Assert.Equal(HttpStatusCode.Created, ok.Status);
        Assert.Equal((HttpStatusCode)422, tooLong.Status);
        Assert.Equal("Validation Failed", tooLong.Json["message"]!.GetValue<string>());
        var error = tooLong.Json["errors"]![0]!;
        Assert.Equal("IssueComment", error["resource"]!.GetValue<string>());
        Assert.Equal("Body is too long (maximum is 65536 characters)", error["message"]!.GetValue<string>());
        Assert.NotNull(tooLong.Json["documentation_url"]);
        Assert.Equal((HttpStatusCode)422, missing.Status);
        Assert.Single(sim.Host.GitHub.Comments("acme", "ops", 7));
    }

    [Fact]
    public async Task AnyCall_BadOrMissingToken_Returns401()
    {
        await using var sim = await Sim.StartAsync();
        using var bad = Client(sim, token: "wrong");
        using var none = Client(sim, token: null);

        var badResult = await ApiResult.ReadAsync(await bad.PostAsJsonAsync("repos/acme/ops/issues/7/comments", new { body = "x" }));
        var noneResult = await ApiResult.ReadAsync(await none.GetAsync("repos/acme/ops/issues/7/comments"));

        Assert.Equal(HttpStatusCode.Unauthorized, badResult.Status);
        Assert.Equal("Bad credentials", badResult.Json["message"]!.GetValue<string>());
        Assert.NotNull(badResult.Json["documentation_url"]);
        Assert.Equal(HttpStatusCode.Unauthorized, noneResult.Status);
        Assert.Empty(sim.Host.GitHub.AllComments);
    }

    [Fact]
    public async Task ListComments_Paginates_OldestFirstWithLinkHeader()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);
        for (var i = 0; i < 5; i++)
        {
            sim.Host.GitHub.AddComment("acme", "ops", 7, $"c{i}", i % 2 == 0 ? null : "alice");
        }

        var first = await ApiResult.ReadAsync(await http.GetAsync("repos/acme/ops/issues/7/comments?per_page=2"));
        var middle = await ApiResult.ReadAsync(await http.GetAsync("repos/acme/ops/issues/7/comments?per_page=2&page=2"));
        var last = await ApiResult.ReadAsync(await http.GetAsync("repos/acme/ops/issues/7/comments?per_page=2&page=3"));
        var all = await ApiResult.ReadAsync(await http.GetAsync("repos/acme/ops/issues/7/comments"));

        var b = $"{sim.Host.BaseUrl}repos/acme/ops/issues/7/comments";
        Assert.Equal(["c0", "c1"], first.Json.AsArray().Select(c => c!["body"]!.GetValue<string>()));
        Assert.Equal($"<{b}?per_page=2&page=2>; rel=\"next\", <{b}?per_page=2&page=3>; rel=\"last\"", first.Header("Link"));
        Assert.Equal(
            $"<{b}?per_page=2&page=1>; rel=\"prev\", <{b}?per_page=2&page=3>; rel=\"next\", <{b}?per_page=2&page=3>; rel=\"last\", <{b}?per_page=2&page=1>; rel=\"first\"",
            middle.Header("Link"));
        Assert.Equal(["c4"], last.Json.AsArray().Select(c => c!["body"]!.GetValue<string>()));
        Assert.Equal($"<{b}?per_page=2&page=2>; rel=\"prev\", <{b}?per_page=2&page=1>; rel=\"first\"", last.Header("Link"));
        Assert.Equal(5, all.Json.AsArray().Count);
        Assert.Null(all.Header("Link"));
        Assert.Equal("User", first.Json[1]!["user"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetPatchDelete_Comment_BehaveLikeGitHub()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim);
        var comment = sim.Host.GitHub.AddComment("acme", "ops", 7, "old");
        sim.Time.Advance(TimeSpan.FromMinutes(1));

        var get = await ApiResult.ReadAsync(await http.GetAsync($"repos/acme/ops/issues/comments/{comment.Id}"));
        var patch = await ApiResult.ReadAsync(await http.PatchAsJsonAsync($"repos/acme/ops/issues/comments/{comment.Id}", new { body = "new" }));
        var delete = await ApiResult.ReadAsync(await http.DeleteAsync($"repos/acme/ops/issues/comments/{comment.Id}"));
        var gone = await ApiResult.ReadAsync(await http.GetAsync($"repos/acme/ops/issues/comments/{comment.Id}"));

        Assert.Equal("old", get.Json["body"]!.GetValue<string>());
        Assert.Equal("new", patch.Json["body"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:01:00Z", patch.Json["updated_at"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("Not Found", gone.Json["message"]!.GetValue<string>());
    }
}
