using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Redmine;

/// <summary>The Redmine simulator answers like the real Redmine 5.0.4 it was modelled on (see the simulator README).</summary>
public sealed class RedmineApiTests
{
    private static HttpClient Client(Sim sim, string? key = "redmine-bot-api-key")
    {
        var http = new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl, "redmine/") };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Redmine-API-Key", key);
        }
        return http;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Auth_UnknownKeyIsAnonymous_ReadsAllowedWritesAndCurrentUser401()
    {
        await using var sim = await Sim.StartAsync();
        var issue = sim.Host.Redmine.CreateIssue("Found a bug");
        using var anonymous = Client(sim, "not-a-key");

        Assert.Equal(HttpStatusCode.OK, (await ApiResult.ReadAsync(await anonymous.GetAsync($"issues/{issue.Id}.json"))).Status);
        var write = await ApiResult.ReadAsync(await anonymous.PutAsync($"issues/{issue.Id}.json", Json("{\"issue\":{\"notes\":\"x\"}}")));
        Assert.Equal((HttpStatusCode.Unauthorized, ""), (write.Status, write.Text));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiResult.ReadAsync(await anonymous.GetAsync("users/current.json"))).Status);

        using var bot = Client(sim);
        var me = await ApiResult.ReadAsync(await bot.GetAsync("users/current.json"));
        Assert.Equal(("incidents-bot", sim.Host.Redmine.Bot.Id), (me.Json["user"]!["login"]!.GetValue<string>(), me.Json["user"]!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task ListIssues_UpdatedOnFilter_MatchesLikeRedmineWithTheSecondBefore()
    {
        await using var sim = await Sim.StartAsync();
        var first = sim.Host.Redmine.CreateIssue("first");
        sim.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var second = sim.Host.Redmine.CreateIssue("second"); // 10:00:01.5
        sim.Time.Advance(TimeSpan.FromSeconds(3));
        using var http = Client(sim);

        async Task<long[]> Ids(string query)
        {
            var result = await ApiResult.ReadAsync(await http.GetAsync("issues.json?" + query));
            return [.. result.Json["issues"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())];
        }

        // ">=10:00:02" is "> 10:00:01" at full precision: the issue shown as 10:00:01 is included.
        Assert.Equal([second.Id], await Ids("status_id=*&updated_on=%3E%3D2026-03-01T10:00:02Z&sort=updated_on:asc"));
        Assert.Equal([first.Id, second.Id], await Ids("status_id=*&updated_on=%3E%3D2026-03-01T10:00:00Z&sort=updated_on:asc"));
        Assert.Equal([second.Id, first.Id], await Ids("status_id=*"));
        Assert.Equal((HttpStatusCode)422, (await ApiResult.ReadAsync(await http.GetAsync("issues.json?updated_on=%3C%3D2026-03-01"))).Status);
    }

    [Fact]
    public async Task ListIssues_LimitAndOffset_AreClampedAndReported()
    {
        await using var sim = await Sim.StartAsync();
        for (var i = 0; i < 130; i++)
        {
            sim.Host.Redmine.CreateIssue($"issue {i}");
        }
        using var http = Client(sim);

        var page = await ApiResult.ReadAsync(await http.GetAsync("issues.json?limit=1000&offset=100"));

        Assert.Equal((130, 100, 100, 30), (page.Json["total_count"]!.GetValue<int>(), page.Json["limit"]!.GetValue<int>(), page.Json["offset"]!.GetValue<int>(),
            page.Json["issues"]!.AsArray().Count));
    }

    [Fact]
    public async Task UpdateIssue_NotesAndStatus_204WithoutBodyAndAJournalAsSent()
    {
        await using var sim = await Sim.StartAsync();
        var issue = sim.Host.Redmine.CreateIssue("Found a bug", "line one\nline two");
        using var http = Client(sim);
        http.DefaultRequestHeaders.Add("X-Skip-Webhooks", "1");

        var put = await ApiResult.ReadAsync(await http.PutAsync($"issues/{issue.Id}.json", Json("{\"issue\":{\"notes\":\"a\\r\\nb  \\n\",\"status_id\":5,\"private_notes\":true}}")));
        var read = await ApiResult.ReadAsync(await http.GetAsync($"issues/{issue.Id}.json?include=journals"));

        Assert.Equal((HttpStatusCode.NoContent, ""), (put.Status, put.Text));
        var json = read.Json["issue"]!;
        Assert.Equal("line one\r\nline two", json["description"]!.GetValue<string>()); // Redmine's CRLF
        Assert.True(json["status"]!["is_closed"]!.GetValue<bool>());
        Assert.Equal("2026-03-01T10:00:00Z", json["closed_on"]!.GetValue<string>());
        var journal = json["journals"]!.AsArray().Single()!;
        Assert.Equal("a\r\nb  \n", journal["notes"]!.GetValue<string>()); // notes exactly as sent
        Assert.True(journal["private_notes"]!.GetValue<bool>());
        Assert.Equal(("attr", "status_id", "1", "5"), (journal["details"]![0]!["property"]!.GetValue<string>(), journal["details"]![0]!["name"]!.GetValue<string>(),
            journal["details"]![0]!["old_value"]!.GetValue<string>(), journal["details"]![0]!["new_value"]!.GetValue<string>()));
        Assert.Equal(0, sim.Host.Redmine.WritesWithoutSkipWebhooks);
        Assert.Equal((HttpStatusCode.NotFound, ""), await ApiResult.ReadAsync(await http.PutAsync("issues/999.json", Json("{\"issue\":{\"notes\":\"x\"}}"))) is var missing ? (missing.Status, missing.Text) : default);
    }

    [Fact]
    public async Task Uploads_OctetStreamUpToTheLimit_AttachByTokenAndDownloadFromContentUrl()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, RedmineMaxAttachmentBytes = 1024 });
        var issue = sim.Host.Redmine.CreateIssue("Found a bug");
        using var http = Client(sim);

        ByteArrayContent Bytes(int count, string type = "application/octet-stream")
        {
            var content = new ByteArrayContent(Enumerable.Repeat((byte)'x', count).ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            return content;
        }

        var tooBig = await ApiResult.ReadAsync(await http.PostAsync("uploads.json?filename=t.html", Bytes(1025)));
        Assert.Equal((HttpStatusCode)422, tooBig.Status);
        Assert.Equal("This file cannot be uploaded because it exceeds the maximum allowed file size (1024)", tooBig.Json["errors"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiResult.ReadAsync(await http.PostAsync("uploads.json?filename=t.html", Bytes(10, "application/json")))).Status);

        var upload = await ApiResult.ReadAsync(await http.PostAsync("uploads.json?filename=t.html", Bytes(1024)));
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var token = upload.Json["upload"]!["token"]!.GetValue<string>();
        var badToken = await ApiResult.ReadAsync(await http.PutAsync($"issues/{issue.Id}.json", Json("{\"issue\":{\"uploads\":[{\"token\":\"1.nope\"}]}}")));
        Assert.Equal(((HttpStatusCode)422, "1 file(s) could not be saved."), (badToken.Status, badToken.Json["errors"]![0]!.GetValue<string>()));
        var attach = await ApiResult.ReadAsync(await http.PutAsync($"issues/{issue.Id}.json",
            Json($"{{\"issue\":{{\"uploads\":[{{\"token\":\"{token}\",\"filename\":\"t.html\",\"content_type\":\"text/html\",\"description\":\"Chat transcript\"}}]}}}}")));
        Assert.Equal(HttpStatusCode.NoContent, attach.Status);

        var read = await ApiResult.ReadAsync(await http.GetAsync($"issues/{issue.Id}.json?include=attachments"));
        var attachment = read.Json["issue"]!["attachments"]!.AsArray().Single()!;
        var url = attachment["content_url"]!.GetValue<string>();
        Assert.Equal($"{sim.Host.BaseUrl}redmine/attachments/download/{attachment["id"]!.GetValue<long>()}/t.html", url);
        Assert.Equal((1024L, "text/html", "Chat transcript"), (attachment["filesize"]!.GetValue<long>(), attachment["content_type"]!.GetValue<string>(), attachment["description"]!.GetValue<string>()));
        using var download = await http.GetAsync(url);
        Assert.Equal(1024, (await download.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("text/html", download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Faults_InjectedTooManyRequests_AnswersLikeAProxyWithRetryAfter()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.Redmine.TooManyRequests = 1;
        sim.Host.Faults.Redmine.RetryAfterSeconds = 12;
        using var http = Client(sim);

        var limited = await ApiResult.ReadAsync(await http.GetAsync("issue_statuses.json"));
        var next = await ApiResult.ReadAsync(await http.GetAsync("issue_statuses.json"));

        Assert.Equal(((HttpStatusCode)429, "12"), (limited.Status, limited.Header("Retry-After")));
        Assert.Equal(6, next.Json["issue_statuses"]!.AsArray().Count);
        Assert.Equal(2, sim.Host.Redmine.CallCount("issue_statuses"));
    }
}
