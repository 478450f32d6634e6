using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Jira;

public sealed class JiraApiTests
{
    private static HttpClient Cloud(Sim sim, string token = "jira-api-token")
    {
        var http = new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl, "jira/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sim.Host.Options.JiraEmail}:{token}")));
        return http;
    }

    private static HttpClient DataCenter(Sim sim)
    {
        var http = new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl, "jira/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sim.Host.Options.JiraPersonalAccessToken);
        return http;
    }

    private static JsonObject Doc(params JsonNode[] blocks) => new() { ["version"] = 1, ["type"] = "doc", ["content"] = new JsonArray(blocks) };

    private static JsonObject Paragraph(string text) => new() { ["type"] = "paragraph", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }) };

    [Fact]
    public async Task Comments_WithoutOrWithWrongCredentials_Are401()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        using var anonymous = new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl, "jira/") };
        using var wrong = Cloud(sim, "revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("rest/api/3/issue/10040/comment")).StatusCode);
        var result = await ApiResult.ReadAsync(await wrong.GetAsync("rest/api/3/issue/10040/comment"));
        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.NotEmpty(result.Json["errorMessages"]!.AsArray());
    }

    [Fact]
    public async Task CreateComment_V3Adf_IsStoredAsGivenAndShownAsWikiThroughV2()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        using var http = Cloud(sim);
        var body = Doc(Paragraph("hello"), new JsonObject
        {
            ["type"] = "codeBlock", ["attrs"] = new JsonObject { ["language"] = "sql" },
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "SELECT 1;" }),
        });
        var created = await ApiResult.ReadAsync(await http.PostAsJsonAsync("rest/api/3/issue/TES-41/comment", new { body }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("10000", (string?)created.Json["id"]);
        Assert.Equal(body.ToJsonString(), created.Json["body"]!.ToJsonString());

        var stored = Assert.Single(sim.Host.Jira.Comments("10040"));
        Assert.True(stored.IsAdf);
        Assert.Equal("hello\n\n{code:sql}\nSELECT 1;\n{code}", stored.Wiki);
        var v2 = await ApiResult.ReadAsync(await http.GetAsync("rest/api/2/issue/10040/comment"));
        Assert.Equal("hello\n\n{code:sql}\nSELECT 1;\n{code}", (string?)v2.Json["comments"]![0]!["body"]);
    }

    [Theory]
    [InlineData("""{"body":"plain string"}""")]
    [InlineData("""{"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":""}]}]}}""")]
    [InlineData("""{"body":{"type":"doc","version":1,"content":[{"type":"codeBlock","content":[{"type":"hardBreak"}]}]}}""")]
    [InlineData("""{"body":{"type":"doc","content":[]}}""")]
    public async Task CreateComment_V3BodyThatIsNotValidAdf_Is400(string json)
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        using var http = Cloud(sim);
        var result = await ApiResult.ReadAsync(await http.PostAsync("rest/api/3/issue/10040/comment", new StringContent(json, Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.StartsWith("Comment body is not valid!", (string?)result.Json["errors"]!["comment"]);
    }

    [Fact]
    public async Task CreateComment_OverTheCharacterLimit_Is400WithJirasMessage()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        using var http = DataCenter(sim);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("rest/api/2/issue/10040/comment", new { body = new string('x', 32_767) })).StatusCode);
        var result = await ApiResult.ReadAsync(await http.PostAsJsonAsync("rest/api/2/issue/10040/comment", new { body = new string('x', 32_768) }));
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("""{"errorMessages":[],"errors":{"comment":"The entered text is too long. It exceeds the allowed limit of 32,767 characters."}}""", result.Text);

        // ADF is counted after conversion: the code tags count too.
        using var cloud = Cloud(sim);
        var code = new JsonObject { ["type"] = "codeBlock", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new string('y', 32_760) }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.PostAsJsonAsync("rest/api/3/issue/10040/comment", new { body = Doc(code) })).StatusCode);
    }

    [Fact]
    public async Task ListComments_PagesWithStartAtAndTotal()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        for (var i = 0; i < 5; i++)
        {
            sim.Host.Jira.AddComment("10040", $"comment {i}");
        }
        using var http = DataCenter(sim);
        var page = await ApiResult.ReadAsync(await http.GetAsync("rest/api/2/issue/10040/comment?startAt=2&maxResults=2&orderBy=created"));
        Assert.Equal((2, 2, 5), ((int)page.Json["startAt"]!, (int)page.Json["maxResults"]!, (int)page.Json["total"]!));
        Assert.Equal(["comment 2", "comment 3"], page.Json["comments"]!.AsArray().Select(c => (string?)c!["body"]));
        var adf = await ApiResult.ReadAsync(await http.GetAsync("rest/api/3/issue/10040/comment?startAt=4"));
        Assert.Equal("doc", (string?)adf.Json["comments"]![0]!["body"]!["type"]);
    }

    [Fact]
    public async Task Comments_UnknownIssue_Is404()
    {
        await using var sim = await Sim.StartAsync();
        using var http = Cloud(sim);
        var result = await ApiResult.ReadAsync(await http.GetAsync("rest/api/3/issue/99999/comment"));
        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Equal("Issue does not exist or you do not have permission to see it.", (string?)result.Json["errorMessages"]![0]);
    }

    [Fact]
    public async Task Attachments_UploadListAndDownloadBothWays_ReturnTheExactBytes()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        using var http = Cloud(sim);
        byte[] bytes = [0, 1, 2, 0xFF, (byte)'<'];
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/html") } }, "file", "t.html" } };

        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("rest/api/3/issue/10040/attachments", form)).StatusCode); // XSRF check
        using var request = new HttpRequestMessage(HttpMethod.Post, "rest/api/3/issue/10040/attachments") { Content = form };
        request.Headers.Add("X-Atlassian-Token", "no-check");
        var created = await ApiResult.ReadAsync(await http.SendAsync(request));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var id = (string?)created.Json[0]!["id"];
        Assert.Equal(("t.html", 5), ((string?)created.Json[0]!["filename"], (int)created.Json[0]!["size"]!));

        var issue = await ApiResult.ReadAsync(await http.GetAsync("rest/api/3/issue/10040?fields=attachment"));
        Assert.Equal(id, (string?)issue.Json["fields"]!["attachment"]![0]!["id"]);
        Assert.Equal(bytes, await http.GetByteArrayAsync($"rest/api/3/attachment/content/{id}?redirect=false"));
        using var dc = DataCenter(sim);
        Assert.Equal(bytes, await dc.GetByteArrayAsync($"secure/attachment/{id}/t.html"));
    }

    [Fact]
    public async Task Attachments_OverTheSizeLimit_Are413()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, JiraMaxAttachmentBytes = 10 });
        sim.Host.Jira.AddIssue("10040", "TES-41");
        using var http = DataCenter(sim);
        using var request = new HttpRequestMessage(HttpMethod.Post, "rest/api/2/issue/10040/attachments")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(new byte[11]), "file", "big.bin" } },
        };
        request.Headers.Add("X-Atlassian-Token", "no-check");
        var result = await ApiResult.ReadAsync(await http.SendAsync(request));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
        Assert.Empty(sim.Host.Jira.Attachments("10040"));
    }

    [Fact]
    public async Task Faults_TooManyRequests_AnswersRetryAfter()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Jira.AddIssue("10040", "TES-41");
        sim.Host.Faults.Jira.TooManyRequests = 1;
        sim.Host.Faults.Jira.RetryAfterSeconds = 7;
        using var http = Cloud(sim);
        var limited = await ApiResult.ReadAsync(await http.GetAsync("rest/api/3/issue/10040/comment"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("7", limited.Header("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("rest/api/3/issue/10040/comment")).StatusCode);
        Assert.Equal(2, sim.Host.Jira.CallCount("comments.list"));
    }
}
