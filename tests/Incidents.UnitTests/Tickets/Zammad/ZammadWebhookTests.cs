using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Incidents;
using Incidents.Tickets;
using Incidents.Tickets.Zammad;
using Incidents.Transcripts;

namespace Incidents.UnitTests.Tickets.Zammad;

public sealed class ZammadWebhookTests
{
    private static readonly ZammadOptions Options = new()
    {
        WebhookToken = "t",
        Token = "api",
        Url = new Uri("https://zammad.example.com"),
        IntegrationUserLogin = "incidents-bot@example.com",
        IntegrationUserId = 17,
    };

    private static readonly ZammadSettings Settings = new("zammad", Options);

    /// <summary>The JSON block of a stored documentation page (Payloads/Zammad), exactly as published.</summary>
    private static byte[] Captured(string file)
    {
        var page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Zammad", file));
        var lines = page[page.IndexOf(".. code-block:: json", StringComparison.Ordinal)..].Split('\n').Skip(1).SkipWhile(l => l.Trim().Length == 0).ToList();
        var indent = lines[0].Length - lines[0].TrimStart().Length;
        var block = lines.TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length >= indent).Select(l => l.Length >= indent ? l[indent..] : "");
        return Encoding.UTF8.GetBytes(string.Join('\n', block).Trim());
    }

    private static WebhookIntake Read(byte[] body, string trigger = "incidents:opened", string delivery = "5a1c0b2e-8d0e-4c47-9d2f-1f0a7c4d2b11") =>
        ZammadWebhook.Read(Settings, trigger, delivery, body);

    private static byte[] Changed(string file, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Captured(file), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    [Theory]
    [InlineData("payload.rst")]
    [InlineData("payload.2021.rst")]
    public void Read_PublishedDefaultPayload_IsTheTicketAsZammadDescribesIt(string file)
    {
        // The published example: ticket 81 "Webhook-Test", state open, created by a phone article of the customer.
        var intake = Assert.IsType<WebhookIntake.Event>(Read(Captured(file)));
        var ticket = intake.TicketEvent.Ticket;
        Assert.Equal("5a1c0b2e-8d0e-4c47-9d2f-1f0a7c4d2b11", intake.DeliveryId);
        Assert.Equal("zammad:81", ticket.Key);
        Assert.Equal("81", ticket.Ref);
        Assert.Equal("Webhook-Test", ticket.Title);
        Assert.Equal("https://zammad.example.com/#ticket/zoom/81", ticket.Url);
        Assert.Equal("Emily Adams", ticket.Author);
        Assert.Equal(["Service Desk", "2 normal"], ticket.Labels);
        Assert.Equal(["emma@chrispresso.com"], ticket.Assignees);
        Assert.True(ticket.IsOpen);
        Assert.Equal(new DateTimeOffset(2020, 11, 13, 14, 34, 35, 282, TimeSpan.Zero), ticket.CreatedAt);
        // Its article (a customer's phone note) is the description: relayed, which opens the incident.
        Assert.Equal(TicketEventKind.Commented, intake.TicketEvent.Kind);
        Assert.StartsWith("Christopher Miller opened the ticket:\nThis is a simple Webhook Test.", intake.TicketEvent.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", intake.TicketEvent.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("incidents:opened", "open", false, "Opened")]
    [InlineData("incidents:opened", "closed", false, "Updated")]
    [InlineData("incidents:updated", "open", true, "Updated")]
    [InlineData("incidents:updated", "closed", true, "Updated")]
    [InlineData("incidents:article", "open", true, "Commented")]
    [InlineData("incidents:article", "open", false, "Updated")]
    [InlineData("incidents:closed", "closed", false, "Closed")]
    [InlineData("incidents:closed", "open", false, "Updated")]
    [InlineData("incidents:reopened", "open", false, "Reopened")]
    [InlineData("incidents:reopened", "merged", false, "Updated")]
    [InlineData("INCIDENTS:CLOSED ", "removed", false, "Closed")]
    [InlineData("a trigger of someone else", "closed", true, "Updated")]
    public void Read_TriggerAndState_MapToTheEventTheStateAllows(string trigger, string state, bool withArticle, string expected)
    {
        var body = Changed("payload.rst", root =>
        {
            root["ticket"]!["state"] = state;
            if (!withArticle)
            {
                root["article"] = new JsonObject();
            }
        });
        var intake = Assert.IsType<WebhookIntake.Event>(Read(body, trigger));
        Assert.Equal(expected, intake.TicketEvent.Kind.ToString());
        Assert.Equal(state == "open", intake.TicketEvent.Ticket.IsOpen);
    }

    [Theory]
    [InlineData("created_by_id", "17")]
    [InlineData("login", "INCIDENTS-BOT@example.com")]
    [InlineData("subject", "Chat transcript (incidents:transcript file)")]
    [InlineData("body", "<p>incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1</p>")]
    public void Read_OwnArticle_IsIgnored(string field, string value)
    {
        var body = Changed("payload.rst", root =>
        {
            var article = root["article"]!.AsObject();
            if (field == "login")
            {
                article["created_by"]!["login"] = value;
            }
            else
            {
                article[field] = field == "created_by_id" ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value;
            }
        });
        Assert.IsType<WebhookIntake.Ignored>(Read(body, "incidents:article"));
        Assert.IsType<WebhookIntake.Ignored>(Read(body, "incidents:updated"));
    }

    [Fact]
    public void OwnMarker_IsTheStartOfTheTranscriptMarker() =>
        Assert.StartsWith(ZammadWebhook.OwnMarker, TranscriptMarker.Prefix, StringComparison.Ordinal);

    [Fact]
    public void Read_LongArticle_IsTruncatedWithALinkToIt()
    {
        var body = Changed("payload.rst", root => root["article"]!["body"] = new string('x', 10_000));
        var intake = Assert.IsType<WebhookIntake.Event>(Read(body, "incidents:article"));
        Assert.True(intake.TicketEvent.Text!.Length < 3700);
        Assert.EndsWith("(truncated; full article: https://zammad.example.com/#ticket/zoom/81/104)", intake.TicketEvent.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "incidents:opened")]
    [InlineData("d", null)]
    [InlineData("d", " ")]
    public void Read_MissingHeaders_IsMalformed(string? delivery, string? trigger) =>
        Assert.IsType<WebhookIntake.Malformed>(ZammadWebhook.Read(Settings, trigger, delivery, Captured("payload.rst")));

    [Property(MaxTest = 1000)]
    public void Read_ArbitraryBytes_NeverThrows(byte[] body, string? trigger, string? delivery) =>
        Assert.NotNull(ZammadWebhook.Read(Settings, trigger, delivery, body ?? []));

    [Property(MaxTest = 1000)]
    public Property Read_TruncatedPayload_IsMalformed() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, Captured("payload.rst").Length - 2)), cut =>
            Read(Captured("payload.rst")[..cut]) is WebhookIntake.Malformed);

    [Property(MaxTest = 2000)]
    public Property Read_AnyTicketFieldReplacedByAnyJsonValue_NeverThrows() =>
        Prop.ForAll(
            Arb.From(Gen.Elements("id", "state", "created_at", "updated_at", "title", "owner", "owner_id", "customer", "group", "priority", "tags", "updated_by")),
            Arb.From(Gen.Elements<JsonNode?>(null, JsonValue.Create(-1), JsonValue.Create("x"), JsonValue.Create(1e300), new JsonArray(1, "a"),
                new JsonObject { ["login"] = 5 }, JsonValue.Create(true), JsonValue.Create("9999-12-31T23:59:59-14:00"), JsonValue.Create("\u0000"))),
            (field, value) =>
            {
                var body = Changed("payload.rst", root => root["ticket"]![field] = value?.DeepClone());
                return Read(body) is WebhookIntake.Event or WebhookIntake.Malformed or WebhookIntake.Ignored;
            });
}
