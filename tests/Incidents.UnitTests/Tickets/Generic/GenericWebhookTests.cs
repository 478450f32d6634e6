using System.Text;
using System.Text.Json.Nodes;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Tickets.Generic;

namespace Incidents.UnitTests.Tickets.Generic;

public sealed class GenericWebhookTests
{
    private static WebhookIntake Read(string json, string? delivery = "d-1", string? integrationUser = null, string prefix = "generic") =>
        GenericWebhook.Read(prefix, delivery, Encoding.UTF8.GetBytes(json), integrationUser);

    private static string File(string name) => Encoding.UTF8.GetString(GenericDocs.Payload(name));

    private static TicketEvent Event(WebhookIntake intake) => Assert.IsType<WebhookIntake.Event>(intake).TicketEvent;

    [Theory]
    [InlineData("opened.json", "Opened", true)]
    [InlineData("updated.json", "Updated", true)]
    [InlineData("commented.json", "Commented", true)]
    [InlineData("closed.json", "Closed", false)]
    [InlineData("reopened.json", "Reopened", true)]
    [InlineData("deleted.json", "Gone", true)]
    public void Read_EveryDocumentedExample_MapsToItsEvent(string file, string kind, bool open)
    {
        var intake = Assert.IsType<WebhookIntake.Event>(Read(File(file)));

        Assert.Equal("d-1", intake.DeliveryId);
        Assert.Equal(file[..^".json".Length], intake.EventName);
        Assert.Equal(kind, intake.TicketEvent.Kind.ToString());
        Assert.Equal(open, intake.TicketEvent.Ticket.IsOpen);
        Assert.Equal("generic:INC-1042", intake.TicketEvent.Ticket.Key);
        Assert.Equal("INC-1042", intake.TicketEvent.Ticket.Ref);
        Assert.Equal(DateTimeOffset.Parse(JsonNode.Parse(File(file))!["occurred_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), intake.TicketEvent.OccurredAt);
    }

    [Fact]
    public void Read_Opened_CarriesTheWholeSnapshot()
    {
        var evt = Event(Read(File("opened.json"), prefix: "generic/ops"));

        Assert.Equal("generic/ops:INC-1042", evt.Ticket.Key);
        Assert.Equal("Checkout API returns 502 for EU customers", evt.Ticket.Title);
        Assert.Equal("https://tickets.example.com/tickets/INC-1042", evt.Ticket.Url);
        Assert.Equal("dana", evt.Ticket.Author);
        Assert.Equal(["incident", "sev2", "payments"], evt.Ticket.Labels);
        Assert.Equal(["erik"], evt.Ticket.Assignees);
        Assert.Contains("```\nPOST /v2/checkout -> 502", evt.Ticket.Body);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 55, 0, TimeSpan.Zero), evt.Ticket.CreatedAt);
        Assert.Equal("dana", evt.Actor);
    }

    [Fact]
    public void Read_Commented_RelaysAuthorAndBody()
    {
        var evt = Event(Read(File("commented.json")));

        Assert.Equal("erik", evt.Actor);
        Assert.Equal("@erik commented on the ticket:\nRolled payments-eu back to v4.12.1; the error rate is dropping.", evt.Text);
    }

    [Fact]
    public void Read_Deleted_HasOnlyTheRequiredFields()
    {
        var evt = Event(Read(File("deleted.json")));

        Assert.Equal(("", "", null), (evt.Ticket.Url, evt.Ticket.Author, evt.Ticket.Body));
        Assert.Empty(evt.Ticket.Labels);
        Assert.Empty(evt.Ticket.Assignees);
    }

    [Fact]
    public void Read_CommentWithoutAuthor_FallsBackToTheActor()
    {
        var evt = Event(Read(GenericDocsTests.Patch(File("commented.json"), """{"comment": {"author": "-"}, "actor": "farah"}""")));

        Assert.StartsWith("@farah commented", evt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LongComment_IsCutForTheChat()
    {
        var evt = Event(Read(GenericDocsTests.Patch(File("commented.json"), $$$"""{"comment": {"body": "{{{new string('x', 5000)}}}"}}""")));

        Assert.EndsWith("… (truncated)", evt.Text, StringComparison.Ordinal);
        Assert.True(evt.Text!.Length < GenericWebhook.MaxRelayedText + 100);
    }

    [Theory]
    [InlineData("<!-- incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=x transcript=y -->\nhello", null)]
    [InlineData("a comment by the integration user", "incidents-bot")]
    [InlineData("a comment by the integration user", "INCIDENTS-BOT")]
    public void Read_EchoOfOurOwnTranscript_IsIgnored(string body, string? integrationUser)
    {
        var json = GenericDocsTests.Patch(File("commented.json"), $$$"""{"comment": {"author": "incidents-bot", "body": {{{System.Text.Json.JsonSerializer.Serialize(body)}}}}}""");

        Assert.IsType<WebhookIntake.Ignored>(Read(json, integrationUser: integrationUser));
    }

    [Fact]
    public void Read_CommentByAnotherUser_WithIntegrationUserSet_IsRelayed() =>
        Assert.IsType<WebhookIntake.Event>(Read(File("commented.json"), integrationUser: "incidents-bot"));

    [Theory]
    [InlineData("ping")]
    [InlineData("assigned")]
    [InlineData("OPENED")]
    public void Read_UnknownEvent_IsIgnored(string name) =>
        Assert.IsType<WebhookIntake.Ignored>(Read($$$"""{"event": "{{{name}}}"}"""));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Read_MissingDeliveryId_IsMalformedNamingTheHeader(string? delivery) =>
        Assert.StartsWith("X-Incidents-Delivery:", Assert.IsType<WebhookIntake.Malformed>(Read(File("opened.json"), delivery)).Reason, StringComparison.Ordinal);

    [Fact]
    public void Read_OverlongDeliveryId_IsMalformed() =>
        Assert.IsType<WebhookIntake.Malformed>(Read(File("opened.json"), new string('d', 257)));

    [Fact]
    public void Read_LongestDeliveryId_IsAccepted() =>
        Assert.IsType<WebhookIntake.Event>(Read(File("opened.json"), new string('d', 256)));

    [Theory]
    [InlineData("{\"event\": ", "(body)")]
    [InlineData("[]", "(root)")]
    [InlineData("{}", "event")]
    [InlineData("{\"event\": 1}", "event")]
    [InlineData("{\"event\": \"opened\"}", "occurred_at")]
    [InlineData("{\"event\": \"opened\", \"occurred_at\": \"2026-03-01T10:00:00Z\"}", "ticket")]
    [InlineData("{\"event\": \"opened\", \"occurred_at\": \"2026-03-01T10:00:00Z\", \"ticket\": {}}", "ticket.id")]
    [InlineData("{\"event\": \"opened\", \"occurred_at\": \"2026-03-01T10:00:00Z\", \"ticket\": {\"id\": \"1\", \"state\": \"open\"}}", "ticket.title")]
    [InlineData("{\"event\": \"opened\", \"occurred_at\": \"2026-03-01T10:00:00Z\", \"ticket\": {\"id\": \"1\", \"state\": \"open\", \"title\": \"t\"}}", "ticket.created_at")]
    [InlineData("{\"event\": \"opened\", \"occurred_at\": \"2026-03-01T10:00:00Z\", \"ticket\": {\"id\": \"1\", \"state\": \"opened\"}}", "ticket.state")]
    [InlineData("{\"event\": \"commented\", \"occurred_at\": \"2026-03-01T10:00:00Z\", \"ticket\": {\"id\": \"1\", \"state\": \"open\", \"title\": \"t\", \"created_at\": \"2026-03-01T10:00:00Z\"}}", "comment")]
    [InlineData("{\"event\": \"opened\", \"occurred_at\": \"2026-03-01T10:00:00Z\", \"ticket\": {\"id\": \"1\", \"state\": \"open\", \"title\": \"t\", \"created_at\": \"2026-03-01T10:00:00Z\", \"labels\": [\"a\", 1]}}", "ticket.labels[1]")]
    public void Read_InvalidField_IsMalformedNamingTheField(string json, string field)
    {
        var malformed = Assert.IsType<WebhookIntake.Malformed>(Read(json));

        Assert.StartsWith(field + ":", malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NulInStrings_IsReplaced()
    {
        var evt = Event(Read(GenericDocsTests.Patch(File("opened.json"), """{"ticket": {"title": "a\u0000b", "body": "c\u0000d", "labels": ["e\u0000"]}}""")));

        Assert.Equal("a\uFFFDb", evt.Ticket.Title);
        Assert.Equal("c\uFFFDd", evt.Ticket.Body);
        Assert.Equal(["e\uFFFD"], evt.Ticket.Labels);
    }

    [Fact]
    public void Read_LongestTicketId_FitsTheKeyColumn()
    {
        var evt = Event(Read(GenericDocsTests.Patch(File("opened.json"), $$$"""{"ticket": {"id": "{{{new string('9', GenericWebhook.MaxTicketId)}}}"}}"""), prefix: "generic/" + new string('n', 32)));

        Assert.True(evt.Ticket.Key.Length <= 512);
    }
}
