using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Tickets.Redmine;

namespace Incidents.UnitTests.Tickets.Redmine;

/// <summary>The plugin's token and every published plugin payload (Payloads/Redmine), read as the service reads them.</summary>
public sealed class RedmineWebhookTests
{
    private static readonly Dictionary<int, RedmineStatus> Statuses = new()
    {
        [1] = new(1, "New", false), [2] = new(2, "In Progress", false), [3] = new(3, "Resolved", false),
        [5] = new(5, "Closed", true), [6] = new(6, "Rejected", true),
    };

    private static readonly RedmineEvents Events = new("redmine", "https://redmine.example.com/", Statuses, integrationUserId: 99);

    private static byte[] Payload(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "Redmine", file));

    private static WebhookIntake.Event Event(WebhookIntake intake) => Assert.IsType<WebhookIntake.Event>(intake);

    [Theory]
    [InlineData("s3cret-token", "s3cret-token", true)]
    [InlineData("s3cret-token", "s3cret-token ", false)]
    [InlineData("s3cret-token", "S3CRET-TOKEN", false)]
    [InlineData("s3cret-token", "s3cret", false)]
    [InlineData("s3cret-token", "", false)]
    [InlineData("s3cret-token", null, false)]
    [InlineData("", "", false)]
    [InlineData("", null, false)]
    public void VerifyToken_OnlyTheConfiguredTokenPasses(string configured, string? given, bool accepted) =>
        Assert.Equal(accepted, RedmineWebhook.VerifyToken(configured, given));

    [Fact]
    public void Read_SuerOpened_IsOpenedWithTheIssueAsSnapshot()
    {
        var e = Event(RedmineWebhook.Read(Payload("suer.issue.opened.json"), Events, null));

        Assert.Equal(("issue-191:opened", "webhook:issue.opened", TicketEventKind.Opened), (e.DeliveryId, e.EventName, e.TicketEvent.Kind));
        var t = e.TicketEvent.Ticket;
        Assert.Equal(("redmine:191", "Test Project#191", "Found a bug", "https://redmine.example.com/issues/191"), (t.Key, t.Ref, t.Title, t.Url));
        Assert.Equal("I'm having a problem with this.", t.Body);
        Assert.Equal("test user", t.Author);
        Assert.Equal(["bug", "New", "normal"], t.Labels);
        Assert.Equal(["test user"], t.Assignees);
        Assert.True(t.IsOpen);
        Assert.Equal(new DateTimeOffset(2014, 3, 1, 15, 17, 48, TimeSpan.Zero), e.TicketEvent.OccurredAt);
    }

    [Fact]
    public void Read_SuerUpdatedWithNotes_IsAComment()
    {
        var e = Event(RedmineWebhook.Read(Payload("suer.issue.updated.json"), Events, null));

        Assert.Equal(("issue-196:journal-195", "webhook:journal.commented", TicketEventKind.Commented), (e.DeliveryId, e.EventName, e.TicketEvent.Kind));
        Assert.Equal("test user commented on the ticket:\nFixed", e.TicketEvent.Text);
        Assert.Equal("test user", e.TicketEvent.Actor);
        Assert.True(e.TicketEvent.OccurredAt > new DateTimeOffset(2014, 3, 1, 16, 22, 46, TimeSpan.Zero));
        Assert.True(e.TicketEvent.Ticket.IsOpen);
    }

    [Fact]
    public void Read_PhananOpened_IsOpened() =>
        Assert.Equal(("issue-1:opened", TicketEventKind.Opened, "A sample bug"),
            Event(RedmineWebhook.Read(Payload("phanan.issue.opened.json"), Events, null)) is var e ? (e.DeliveryId, e.TicketEvent.Kind, e.TicketEvent.Ticket.Title) : default);

    [Fact]
    public void Read_PhananStatusChangeWithNumbersForValues_IsAnUpdateBetweenOpenStatuses()
    {
        // New (1) → Resolved (3): both open in Redmine's defaults.
        var e = Event(RedmineWebhook.Read(Payload("phanan.issue.updated.json"), Events, null));

        Assert.Equal(("issue-1:journal-28", TicketEventKind.Updated), (e.DeliveryId, e.TicketEvent.Kind));
        Assert.Contains("In Progress", e.TicketEvent.Ticket.Labels); // the issue's status after the change, from the status list
    }

    [Fact]
    public void Read_PhananStatusChangeIntoAClosedStatus_IsClosed()
    {
        var closing = new Dictionary<int, RedmineStatus>(Statuses) { [3] = new(3, "Resolved", true), [2] = new(2, "In Progress", true) };
        var e = Event(RedmineWebhook.Read(Payload("phanan.issue.updated.json"), new RedmineEvents("redmine", "https://r/", closing, null), null));

        Assert.Equal(TicketEventKind.Closed, e.TicketEvent.Kind);
        Assert.False(e.TicketEvent.Ticket.IsOpen);
        Assert.Equal("Demo User", e.TicketEvent.Actor);
    }

    [Fact]
    public void Read_StatusesNotLoaded_StatusChangeIsIgnoredButOpenedIsNot()
    {
        var blind = new RedmineEvents("redmine", "https://r/", new Dictionary<int, RedmineStatus>(), null);

        Assert.IsType<WebhookIntake.Ignored>(RedmineWebhook.Read(Payload("phanan.issue.updated.json"), blind, null));
        Assert.IsType<WebhookIntake.Event>(RedmineWebhook.Read(Payload("suer.issue.opened.json"), blind, null));
    }

    [Fact]
    public void Read_JournalOfTheIntegrationUser_IsIgnored()
    {
        var ours = new RedmineEvents("redmine", "https://r/", Statuses, integrationUserId: 3);

        Assert.IsType<WebhookIntake.Ignored>(RedmineWebhook.Read(Payload("suer.issue.updated.json"), ours, null));
    }

    [Fact]
    public void Read_OtherProject_IsIgnored()
    {
        Assert.IsType<WebhookIntake.Ignored>(RedmineWebhook.Read(Payload("suer.issue.opened.json"), Events, "ops"));
        Assert.IsType<WebhookIntake.Event>(RedmineWebhook.Read(Payload("suer.issue.opened.json"), Events, "TEST"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"payload\":{}}")]
    [InlineData("{\"payload\":{\"action\":\"opened\"}}")]
    [InlineData("{\"payload\":{\"action\":\"opened\",\"issue\":{\"id\":1}}}")]
    [InlineData("{\"payload\":{\"action\":\"updated\",\"issue\":{\"id\":1,\"project\":{\"id\":1},\"status\":{\"id\":1},\"created_on\":\"2026-01-01T00:00:00Z\"}}}")]
    [InlineData("{\"payload\":{\"action\":\"opened\",\"issue\":{\"id\":1,\"project\":{\"id\":1},\"status\":{\"id\":1},\"created_on\":\"yesterday\"}}}")]
    public void Read_NotThePluginsShape_IsMalformed(string json) =>
        Assert.IsType<WebhookIntake.Malformed>(RedmineWebhook.Read(Encoding.UTF8.GetBytes(json), Events, null));

    [Property(MaxTest = 1000)]
    public void Read_ArbitraryBytes_NeverThrows(byte[] body) =>
        Assert.NotNull(RedmineWebhook.Read(body ?? [], Events, null));

    [Property(MaxTest = 300)]
    public Property Read_PayloadWithAnyFieldReplaced_NeverThrows() =>
        Prop.ForAll(Arb.From(Gen.Elements("id", "subject", "status", "project", "created_on", "journal", "details", "notes", "author")),
            Arb.From(Gen.Elements("null", "1", "-1", "1e300", "\"\"", "\"x\"", "[]", "{}", "true", "\"\\u0000\"")), (field, value) =>
            {
                var json = Encoding.UTF8.GetString(Payload("phanan.issue.updated.json"));
                var changed = System.Text.RegularExpressions.Regex.Replace(json, $"\"{field}\": [^,\\n]+", $"\"{field}\": {value}");
                return RedmineWebhook.Read(Encoding.UTF8.GetBytes(changed), Events, null) is not null;
            });
}
