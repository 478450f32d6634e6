using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Incidents.Simulators.Tests.Infrastructure;
using Incidents.Simulators.Zammad;

namespace Incidents.Simulators.Tests.Zammad;

public sealed class ZammadArticleTests
{
    private static HttpClient Client(Sim sim, string? authorization = "Token token=zammad-token")
    {
        var http = new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl, "zammad/api/v1/") };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
        return http;
    }

    [Fact]
    public async Task CreateArticle_NoteWithAttachment_Returns201AndIsListedAndDownloadable()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Zammad.AddTicket(81);
        using var http = Client(sim);
        var data = Encoding.UTF8.GetBytes("<html>transcript</html>");

        var created = await ApiResult.ReadAsync(await http.PostAsJsonAsync("ticket_articles", new Dictionary<string, object>
        {
            ["ticket_id"] = 81, ["type"] = "note", ["internal"] = true, ["content_type"] = "text/html", ["subject"] = "Chat\ttranscript",
            ["body"] = "<p>hello</p>",
            ["attachments"] = new[] { new Dictionary<string, string> { ["filename"] = "t.html", ["data"] = Convert.ToBase64String(data), ["mime-type"] = "text/html" } },
        }));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var json = created.Object;
        Assert.Equal(("note", "Agent", true, "Chat transcript", "incidents-bot@example.com"),
            (json["type"]!.GetValue<string>(), json["sender"]!.GetValue<string>(), json["internal"]!.GetValue<bool>(), json["subject"]!.GetValue<string>(), json["created_by"]!.GetValue<string>()));
        Assert.Equal("2026-03-01T10:00:00.000Z", json["created_at"]!.GetValue<string>());
        var attachment = json["attachments"]![0]!;
        Assert.Equal(("t.html", "23"), (attachment["filename"]!.GetValue<string>(), attachment["size"]!.GetValue<string>()));

        var list = await ApiResult.ReadAsync(await http.GetAsync("ticket_articles/by_ticket/81"));
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Single(list.Json.AsArray());

        var download = await http.GetAsync($"ticket_attachment/81/{json["id"]}/{attachment["id"]}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(data, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"ticket_attachment/81/{json["id"]}/999")).StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Forbidden, "Authentication required")]
    [InlineData("Token token=wrong", HttpStatusCode.Unauthorized, "Can't find User for Token")]
    public async Task AnyCall_MissingOrWrongToken_AnswersZammadsError(string? authorization, HttpStatusCode status, string error)
    {
        await using var sim = await Sim.StartAsync();
        using var http = Client(sim, authorization);
        var result = await ApiResult.ReadAsync(await http.GetAsync("ticket_articles/by_ticket/81"));
        Assert.Equal(status, result.Status);
        Assert.Equal(error, result.Object["error"]!.GetValue<string>());
        Assert.Equal(error, result.Object["error_human"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateArticle_UnknownTicketTooLongBodyOrBadBase64_AnswersZammadsErrors()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Zammad.AddTicket(81);
        using var http = Client(sim);

        var missing = await ApiResult.ReadAsync(await http.PostAsJsonAsync("ticket_articles", new { ticket_id = 82, body = "x" }));
        Assert.Equal((HttpStatusCode.NotFound, "Couldn't find Ticket with 'id'=82"), (missing.Status, missing.Object["error"]!.GetValue<string>()));

        var tooLong = await ApiResult.ReadAsync(await http.PostAsJsonAsync("ticket_articles", new { ticket_id = 81, body = new string('x', 1_500_001) }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.Status);
        Assert.Equal("body of article is too large, 1500001 chars - only 1500000 allowed", tooLong.Object["error"]!.GetValue<string>());

        var badFile = await ApiResult.ReadAsync(await http.PostAsJsonAsync("ticket_articles", new Dictionary<string, object>
        {
            ["ticket_id"] = 81, ["body"] = "x", ["attachments"] = new[] { new Dictionary<string, string> { ["filename"] = "a", ["data"] = "%%%", ["mime-type"] = "text/plain" } },
        }));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Invalid base64 for attachment with index '0'"), (badFile.Status, badFile.Object["error"]!.GetValue<string>()));
        Assert.Empty(sim.Host.Zammad.Articles(81));
    }

    [Fact]
    public async Task Faults_TooManyRequests_Answers429WithRetryAfter()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults.Zammad.TooManyRequests = 1;
        sim.Host.Faults.Zammad.RetryAfterSeconds = 12;
        using var http = Client(sim);
        using var response = await http.GetAsync("ticket_articles/by_ticket/81");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(12), response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("<p>a<!-- hidden --></p>", "<p>a</p>")]
    [InlineData("<div class=\"x js-signatureMarker\" style=\"color:red\" onclick=\"x()\">a</div>", "<div class=\"js-signatureMarker\">a</div>")]
    [InlineData("<p>see https://example.com/a.</p>", "<p>see <a href=\"https://example.com/a\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">https://example.com/a</a>.</p>")]
    [InlineData("<a href=\"https://example.com\">x</a>", "<a href=\"https://example.com\" rel=\"nofollow noreferrer noopener\" target=\"_blank\" title=\"https://example.com\">x</a>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "x")]
    [InlineData("<p><script>1 < 2</script><style>p{}</style>b</p>", "<p>1 &lt; 2b</p>")]
    [InlineData("<blockquote><p>a</p><p>b</p></blockquote>", "<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>")]
    [InlineData("<pre>https://example.com</pre>", "<pre>https://example.com</pre>")]
    [InlineData("<p>x<custom>y</custom></p>", "<p>xy</p>")]
    [InlineData("<p>a&nbsp;&#39;b&quot;</p>", "<p>a\u00A0'b\"</p>")]
    public void Sanitize_LikeZammadsStrictSanitizer(string html, string stored) =>
        Assert.Equal(stored, ZammadSanitizer.Sanitize(html, "http://zammad.example.com/#"));
}
