using System.Net;
using Incidents.IntegrationTests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Incidents.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real browser: headless Chromium against the service on a real port, over an incident that
/// went through its whole lifecycle (webhooks, outbox, transcript) in the usual harness.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DashboardTests(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly TicketId Closed = new(1296269, "Codertocat/Hello-World", 2024);
    private static readonly TicketId Open = new(1296269, "Codertocat/Hello-World", 2025);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);
    private const string ChatLine = "Dashboard check: the README typo is fixed";

    [Fact]
    public async Task Dashboard_InHeadlessChromium_ListsTheIncidentAndShowsItsTimelineTranscriptAndExport()
    {
        var settings = new Dictionary<string, string?>();
        await using var h = await Harness.StartAsync(postgres, s =>
        {
            s["Outbox:MaxFailures"] = "1";
            settings = s;
        });
        await RunLifecycleAsync(h);
        await using var server = new DashboardServer(settings, h.Time);
        var baseUrl = server.Start();
        using var browser = Chromium.Start();
        var driver = browser.Driver;

        // The key prompt; the key goes into sessionStorage, never into the URL.
        driver.Navigate().GoToUrl(new Uri(baseUrl, "dashboard"));
        var key = browser.Until(d => d.FindElement(By.Id("key-input")) is { Displayed: true } input ? input : null, "the key prompt appears");
        key.SendKeys(Harness.AdminKey);
        driver.FindElement(By.Id("key-submit")).Click();

        // The list: both incidents, newest first; the closed one, whose publication died, is highlighted.
        var rows = browser.Until(d => d.FindElements(By.CssSelector("#incidents tbody tr")) is { Count: 2 } all ? all : null, "the list shows both incidents");
        Assert.DoesNotContain(Harness.AdminKey, driver.Url, StringComparison.Ordinal);
        Assert.Equal(Harness.AdminKey, browser.Script("return sessionStorage.getItem('incidents.adminKey');"));
        Assert.Contains(Open.Ref, rows[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("problem", rows[0].GetAttribute("class") ?? "", StringComparison.Ordinal);
        Assert.Contains(Closed.Ref, rows[1].Text, StringComparison.Ordinal);
        Assert.Contains("problem", rows[1].GetAttribute("class") ?? "", StringComparison.Ordinal);
        Assert.Contains("1 dead", rows[1].Text, StringComparison.Ordinal);
        browser.ScreenshotTo(Screenshot("dashboard-list.png"));

        // The state filter leaves only the closed incident.
        driver.FindElement(By.CssSelector("#state-filter option[value=closed]")).Click();
        var row = browser.Until(d => d.FindElements(By.CssSelector("#incidents tbody tr")) is [var only] && only.Text.Contains(Closed.Ref, StringComparison.Ordinal) ? only : null,
            "the state filter leaves only the closed incident");
        Assert.Contains("state=closed", driver.Url, StringComparison.Ordinal);
        Assert.Contains("Captured", row.Text, StringComparison.Ordinal);

        // The incident page: the export stopped after capture, its transcript is already readable, and the timeline tells why.
        row.FindElement(By.CssSelector("a.incident-link")).Click();
        browser.Until(d => d.FindElements(By.CssSelector("#timeline li")).Count > 0, "the incident's timeline appears");
        Assert.Matches("/dashboard#/incidents/[0-9a-f-]{36}$", driver.Url);
        var timeline = driver.FindElement(By.Id("timeline")).Text;
        Assert.Contains("webhook", timeline, StringComparison.Ordinal);
        Assert.Contains("error", timeline, StringComparison.Ordinal);
        Assert.Contains("close-channel", driver.FindElement(By.Id("dead-work")).Text, StringComparison.Ordinal);
        Assert.Contains("Captured", driver.FindElement(By.Id("channels")).Text, StringComparison.Ordinal);

        var frame = browser.Until(d => d.FindElement(By.Id("transcript")), "the transcript iframe appears");
        Assert.Equal("allow-popups allow-popups-to-escape-sandbox", frame.GetAttribute("sandbox"));
        driver.SwitchTo().Frame(frame);
        browser.Until(d => d.FindElement(By.TagName("body")).Text.Contains(ChatLine, StringComparison.Ordinal), "the transcript shows the chat message");
        driver.SwitchTo().DefaultContent();

        // The cause is fixed and the dead row re-queued from the page; the page follows the export to its end by itself.
        h.Sims.Faults.GitHub.Down = false;
        driver.FindElement(By.Id("action-requeue")).Click();
        browser.Until(d => d.FindElement(By.Id("action-result")).Text.Contains("requeue: 1 dead row(s) re-queued", StringComparison.Ordinal), "the re-queue is confirmed");
        Assert.Contains("refreshing every 2 s", driver.FindElement(By.Id("status")).Text, StringComparison.Ordinal);
        await h.RunOutboxAsync();
        browser.Until(d => d.FindElement(By.Id("channels")).Text.Contains("Removed", StringComparison.Ordinal), "the page shows the verified, removed channel without a reload");
        Assert.Single(h.Sims.GitHub.Comments(Closed.Owner, Closed.Name, Closed.Number));
        browser.Until(d => d.FindElements(By.Id("dead-work-empty")).Count == 1 && d.FindElements(By.Id("pending-work-empty")).Count == 1, "no work is left");
        browser.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Updated", StringComparison.Ordinal), "the page stops refreshing");
        driver.SwitchTo().Frame(browser.Until(d => d.FindElement(By.Id("transcript")), "the transcript iframe is still there"));
        browser.Until(d => d.FindElement(By.TagName("body")).Text.Contains(ChatLine, StringComparison.Ordinal), "the transcript still shows the chat message");
        driver.SwitchTo().DefaultContent();

        var path = Screenshot("dashboard-incident.png");
        browser.ScreenshotTo(path);
        output.WriteLine($"Screenshot of the incident page: {path}");
        output.WriteLine($"Screenshot of the list: {Screenshot("dashboard-list.png")}");
        var severe = browser.ConsoleLines().Where(l => l.StartsWith("Severe", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(severe.Count == 0, "browser console errors:\n" + string.Join('\n', severe));
    }

    [Fact]
    public async Task Dashboard_PageAndAssets_AreStaticAndTheApiItUsesNeedsTheKey()
    {
        var settings = new Dictionary<string, string?>();
        await using var h = await Harness.StartAsync(postgres, s => settings = s);
        var page = await h.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/dashboard/app.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/dashboard/app.css")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.GetAsync("/dashboard/api/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.GetAsync($"/dashboard/api/problems?id={Guid.NewGuid()}")).StatusCode);

        var chat = await h.AdminGetAsync("/dashboard/api/settings");
        Assert.Equal(h.Sims.BaseUrl.ToString().TrimEnd('/'), chat.GetProperty("chatUrl").GetString());
    }

    /// <summary>
    /// Two tickets: one closed while GitHub was down, so its export stopped after the capture with a dead row
    /// (Outbox:MaxFailures=1), and a newer one that is open.
    /// </summary>
    private static async Task RunLifecycleAsync(Harness h)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Closed).Opened(Created))).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(room.Name, ChatLine);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        h.Sims.Faults.GitHub.Down = true;
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Closed).Closed(Created, h.Time.GetUtcNow()))).StatusCode);
        await h.RunOutboxAsync();
        Assert.Empty(h.Sims.GitHub.Comments(Closed.Owner, Closed.Name, Closed.Number));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Open).Opened(h.Time.GetUtcNow()))).StatusCode);
        await h.RunOutboxAsync();
    }

    private static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", name);
}
