using System.Text;
using System.Text.Json.Nodes;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Tickets.Jira;

namespace Incidents.UnitTests.Tickets.Jira;

/// <summary>Every captured payload (src/Incidents.Simulators/Payloads/Jira) read as the service reads it.</summary>
public sealed class JiraWebhookReadTests
{
    private const string Site = "https://acme.atlassian.net/";
    private static readonly JiraSite Default = new("jira", Site, "", JiraIssueFilter.None);

    private static string PayloadPath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "Incidents.Simulators", "Payloads", "Jira", file);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException(file);
    }

    private static WebhookIntake Read(string file, JiraSite? site = null, string? identifier = "delivery-1") =>
        JiraWebhook.Read(site ?? Default, identifier, File.ReadAllBytes(PayloadPath(file)));

    private static WebhookIntake.Event Event(string file, JiraSite? site = null, string? identifier = "delivery-1") =>
        Assert.IsType<WebhookIntake.Event>(Read(file, site, identifier));

    [Theory]
    [InlineData("webhook-issue-created.json", "Opened", "jira:issue_created", true)]
    [InlineData("webhook-issue-updated-started-working.json", "Updated", "jira:issue_updated.status", true)]
    [InlineData("webhook-issue-updated-resolved.json", "Closed", "jira:issue_updated.closed", false)]
    [InlineData("webhook-issue-updated-resolved-one-changelog.json", "Closed", "jira:issue_updated.closed", false)]
    [InlineData("webhook-issue-updated-reopened.json", "Reopened", "jira:issue_updated.reopened", true)]
    [InlineData("webhook-issue-updated-reopened-one-changelog.json", "Reopened", "jira:issue_updated.reopened", true)]
    [InlineData("webhook-issue-updated-labels.json", "Updated", "jira:issue_updated", true)]
    [InlineData("webhook-issue-updated-renamed.json", "Updated", "jira:issue_updated", true)]
    [InlineData("webhook-issue-updated-assigned.json", "Updated", "jira:issue_updated", true)]
    [InlineData("webhook-issue-assigned-empty-changelog.json", "Updated", "jira:issue_updated", true)]
    [InlineData("webhook-issue-deleted.json", "Gone", "jira:issue_deleted", true)]
    [InlineData("webhook-server-issue-updated-resolved.json", "Closed", "jira:issue_updated.closed", false)]
    [InlineData("webhook-server-issue-updated-closed.json", "Closed", "jira:issue_updated.closed", false)]
    [InlineData("webhook-server-issue-updated-reopened.json", "Reopened", "jira:issue_updated.reopened", true)]
    [InlineData("webhook-server-issue-updated-in-progress.json", "Updated", "jira:issue_updated.status", true)]
    public void Read_IssueEvents_MapToTheirKindWithTheSnapshotState(string file, string kind, string eventName, bool open)
    {
        var e = Event(file);
        Assert.Equal((kind, eventName, open), (e.TicketEvent.Kind.ToString(), e.EventName, e.TicketEvent.Ticket.IsOpen));
        Assert.Equal("delivery-1", e.DeliveryId);
        Assert.Equal($"jira:{e.TicketEvent.Ticket.Ref}", e.TicketEvent.Ticket.Key);
        Assert.True(JiraJson.IsId(e.TicketEvent.Ticket.Ref));
        Assert.StartsWith(Site + "browse/", e.TicketEvent.Ticket.Url);
        Assert.NotEqual(JiraWebhook.NoSnapshot, e.TicketEvent.OccurredAt);
    }

    [Fact]
    public void Read_IssueCreated_ReadsEveryField()
    {
        var e = Event("webhook-issue-created.json");
        var t = e.TicketEvent.Ticket;
        Assert.Equal("jira:10040", t.Key);
        Assert.Equal("10040", t.Ref);
        Assert.Equal("Unit test summary", t.Title);
        Assert.Equal("https://acme.atlassian.net/browse/TES-41", t.Url); // from the configured site, not issue.self
        Assert.Equal("Test User", t.Author);
        Assert.Equal(["test-label"], t.Labels);
        Assert.Empty(t.Assignees);
        Assert.Equal("Unit test description, not that long", t.Body);
        Assert.Equal(DateTimeOffset.Parse("2019-02-16T03:01:52.971Z", System.Globalization.CultureInfo.InvariantCulture), t.CreatedAt);
        Assert.Equal(t.CreatedAt, e.TicketEvent.OccurredAt);
        Assert.Equal("Test User", e.TicketEvent.Actor);
    }

    [Fact]
    public void Read_Resolved_ClosesWithTheResolutionAndTheWebhookTime()
    {
        var e = Event("webhook-issue-updated-resolved.json");
        Assert.Equal("Done", e.TicketEvent.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1550286940507), e.TicketEvent.OccurredAt);
    }

    [Fact]
    public void Read_AssignedWithoutCreatedField_FallsBackToTheWebhookTime()
    {
        var e = Event("webhook-issue-assigned-empty-changelog.json");
        Assert.Equal(e.TicketEvent.OccurredAt, e.TicketEvent.Ticket.CreatedAt);
        Assert.NotEmpty(e.TicketEvent.Ticket.Assignees);
    }

    [Fact]
    public void Read_CloudCommentCreated_IsACommentThatLeavesTheStoredSnapshotAlone()
    {
        var e = Event("webhook-cloud-comment-created.json");
        Assert.Equal(TicketEventKind.Commented, e.TicketEvent.Kind);
        Assert.Equal("comment:10019", e.DeliveryId); // one id per comment, whatever the delivery header says
        Assert.Equal(JiraWebhook.NoSnapshot, e.TicketEvent.OccurredAt);
        Assert.Equal("@Test User commented on the ticket:\nAdded a comment", e.TicketEvent.Text);
        Assert.Equal(("jira:10040", "Unit test summary 1", true), (e.TicketEvent.Ticket.Key, e.TicketEvent.Ticket.Title, e.TicketEvent.Ticket.IsOpen));
    }

    [Fact]
    public void Read_ServerCommentWithoutIssue_FindsTheIssueInTheCommentAddressAndNeverOpensAnything()
    {
        var e = Event("webhook-server-comment-created.json", identifier: null);
        Assert.Equal(TicketEventKind.Commented, e.TicketEvent.Kind);
        Assert.Equal(("jira:10013", "10013", false), (e.TicketEvent.Ticket.Key, e.TicketEvent.Ticket.Ref, e.TicketEvent.Ticket.IsOpen));
        Assert.Equal("comment:10082", e.DeliveryId);
        Assert.Equal("@Lev Brouk commented on the ticket:\nunik", e.TicketEvent.Text);
    }

    [Fact]
    public void Read_IssueCommentedCompanion_HasTheSameDeliveryIdAsItsCommentCreated()
    {
        var companion = Event("webhook-server-old-issue-updated-no-event-type-commented.json", identifier: null);
        var created = Event("webhook-server-comment-created.json", identifier: null);
        Assert.Equal(TicketEventKind.Commented, companion.TicketEvent.Kind);
        Assert.Equal(created.DeliveryId, companion.DeliveryId);
        Assert.Equal(created.TicketEvent.Text, companion.TicketEvent.Text);
        Assert.NotEqual(JiraWebhook.NoSnapshot, companion.TicketEvent.OccurredAt); // it carries the whole issue

        var commented = Event("webhook-server-issue-updated-commented-2.json", identifier: null);
        Assert.Equal(("comment:10118", TicketEventKind.Commented), (commented.DeliveryId, commented.TicketEvent.Kind));
        Assert.StartsWith("@Test User commented on the ticket:\nThis is a test comment.", commented.TicketEvent.Text);
    }

    [Theory]
    [InlineData("webhook-cloud-comment-updated.json")]
    [InlineData("webhook-cloud-comment-deleted.json")]
    [InlineData("webhook-server-comment-updated.json")]
    public void Read_CommentEditsAndDeletions_AreIgnored(string file) =>
        Assert.IsType<WebhookIntake.Ignored>(Read(file));

    [Fact]
    public void Read_DataCenterWithoutIdentifier_DeliveryIdIsAStableHashOfTheEvent()
    {
        var first = Event("webhook-server-issue-updated-resolved.json", identifier: null).DeliveryId;
        Assert.Equal(first, Event("webhook-server-issue-updated-resolved.json", identifier: null).DeliveryId);
        Assert.Matches("^sha256:[0-9a-f]{64}$", first);
        Assert.NotEqual(first, Event("webhook-server-issue-updated-reopened.json", identifier: null).DeliveryId);
        Assert.NotEqual(first, Event("webhook-server-issue-updated-closed.json", identifier: null).DeliveryId);
    }

    [Theory]
    [InlineData("webhook-cloud-comment-created.json", "5c5f880629be9642ba529340")] // Cloud accountId
    [InlineData("webhook-server-comment-created.json", "levbrouk")] // Data Center user name
    [InlineData("webhook-server-issue-updated-commented-2.json", "TestUser")]
    public void Read_CommentByTheIntegrationUser_IsIgnored(string file, string integrationUser) =>
        Assert.IsType<WebhookIntake.Ignored>(Read(file, Default with { IntegrationUser = integrationUser }));

    [Fact]
    public void Read_CommentCarryingOurMarker_IsIgnored()
    {
        var json = JsonNode.Parse(File.ReadAllText(PayloadPath("webhook-cloud-comment-created.json")))!;
        json["comment"]!["body"] = "{color:#97a0af}incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=" + new string('a', 64)
            + " transcript=" + new string('b', 64) + "{color}\nh3. Chat transcript";
        Assert.IsType<WebhookIntake.Ignored>(JiraWebhook.Read(Default, "d", Encoding.UTF8.GetBytes(json.ToJsonString())));
    }

    [Fact]
    public void Read_CommentBodyAsAdf_IsRelayedAsText()
    {
        var json = JsonNode.Parse(File.ReadAllText(PayloadPath("webhook-cloud-comment-created.json")))!;
        json["comment"]!["body"] = JiraAdf.FromText("first line\nsecond line\n```sh\nls -la\n```");
        var e = Assert.IsType<WebhookIntake.Event>(JiraWebhook.Read(Default, "d", Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.Equal("@Test User commented on the ticket:\nfirst line\nsecond line\n```sh\nls -la\n```", e.TicketEvent.Text);
    }

    [Fact]
    public void Read_LongComment_IsCutWithALinkBuiltFromTheSite()
    {
        var json = JsonNode.Parse(File.ReadAllText(PayloadPath("webhook-cloud-comment-created.json")))!;
        json["comment"]!["body"] = new string('x', 10_000);
        var e = Assert.IsType<WebhookIntake.Event>(JiraWebhook.Read(Default, "d", Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.EndsWith("… (truncated; full comment: https://acme.atlassian.net/browse/TES-41?focusedCommentId=10019)", e.TicketEvent.Text);
        Assert.True(e.TicketEvent.Text!.Length < 3700);
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("TES", "", true)]
    [InlineData("tes, OPS", "", true)]
    [InlineData("OPS", "", false)]
    [InlineData("", "Story", true)]
    [InlineData("", "Incident,Bug", false)]
    [InlineData("TES", "Incident", false)]
    public void IsIncident_ProjectAndTypeFilter_DecidesFromTheIssue(string projects, string types, bool expected)
    {
        var e = Event("webhook-issue-created.json", Default with { Filter = new JiraIssueFilter(projects, types) });
        Assert.Equal(expected, JiraIssueFilter.Allows(e.TicketEvent.Ticket));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"webhookEvent\":\"jira:issue_created\"}")]
    [InlineData("{\"webhookEvent\":\"jira:issue_created\",\"issue\":{\"id\":\"abc\",\"fields\":{\"created\":\"2024-01-01T00:00:00.000+0000\"}}}")]
    [InlineData("{\"webhookEvent\":\"jira:issue_created\",\"issue\":{\"id\":\"10\",\"fields\":{\"created\":\"yesterday\"}}}")]
    [InlineData("{\"webhookEvent\":\"comment_created\",\"comment\":{\"id\":\"5\",\"body\":\"x\"}}")]
    public void Read_MalformedBody_IsMalformed(string body) =>
        Assert.IsType<WebhookIntake.Malformed>(JiraWebhook.Read(Default, "d", Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Read_OverlongOrControlIdentifier_IsMalformed()
    {
        Assert.IsType<WebhookIntake.Malformed>(Read("webhook-issue-created.json", identifier: new string('i', 300)));
        Assert.IsType<WebhookIntake.Malformed>(Read("webhook-issue-created.json", identifier: "a\nb"));
    }

    [Theory]
    [InlineData("worklog_created")]
    [InlineData("jira:worklog_updated")]
    [InlineData("issuelink_created")]
    [InlineData("sprint_started")]
    public void Read_OtherEvents_AreIgnored(string webhookEvent) =>
        Assert.IsType<WebhookIntake.Ignored>(JiraWebhook.Read(Default, "d", Encoding.UTF8.GetBytes($"{{\"timestamp\":1,\"webhookEvent\":\"{webhookEvent}\"}}")));

    [Fact]
    public void Read_NulCharacters_BecomeReplacementCharacters()
    {
        var json = JsonNode.Parse(File.ReadAllText(PayloadPath("webhook-issue-created.json")))!;
        json["issue"]!["fields"]!["summary"] = "nul\u0000title";
        var e = Assert.IsType<WebhookIntake.Event>(JiraWebhook.Read(Default, "d", Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.Equal("nul\uFFFDtitle", e.TicketEvent.Ticket.Title);
    }

    [Theory]
    [InlineData("2019-02-15T19:01:52.971-0800", "2019-02-16T03:01:52.971Z")]
    [InlineData("2019-06-28T21:16:13.654+0000", "2019-06-28T21:16:13.654Z")]
    [InlineData("2024-05-01T10:00:00.000+05:30", "2024-05-01T04:30:00.000Z")]
    public void Time_JiraFormats_AreRead(string text, string utc)
    {
        using var doc = System.Text.Json.JsonDocument.Parse($"{{\"t\":\"{text}\"}}");
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), JiraJson.Time(doc.RootElement, "t"));
    }
}
