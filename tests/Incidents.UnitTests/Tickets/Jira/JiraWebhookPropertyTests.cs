using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Tickets;
using Incidents.Tickets.Jira;

namespace Incidents.UnitTests.Tickets.Jira;

/// <summary>The Jira reader over generated input: it never throws, it answers Malformed, Ignored or an event.</summary>
public sealed class JiraWebhookPropertyTests
{
    private static readonly JiraSite Site = new("jira", "https://acme.atlassian.net/", "5c5f880629be9642ba529340", new JiraIssueFilter("TES", ""));

    private static readonly string[] Files = ["webhook-issue-updated-resolved.json", "webhook-cloud-comment-created.json", "webhook-server-issue-updated-commented-2.json"];

    private static readonly string[] Paths =
    [
        "webhookEvent", "issue_event_type_name", "timestamp", "user", "issue", "issue.id", "issue.key", "issue.fields", "issue.fields.created",
        "issue.fields.updated", "issue.fields.summary", "issue.fields.labels", "issue.fields.status", "issue.fields.status.statusCategory",
        "issue.fields.reporter", "issue.fields.assignee", "issue.fields.description", "issue.fields.project", "issue.fields.resolution",
        "changelog", "changelog.id", "changelog.items", "comment", "comment.id", "comment.body", "comment.author", "comment.self", "comment.created",
    ];

    private static readonly string[] Values =
        ["null", "1", "-1", "1e400", "\"x\"", "\"\"", "[]", "{}", "true", "\"\\u0000\"", "99999999999999999999", "\"2019-02-15T19:01:52.971-9999\"", "[1,\"a\",null]"];

    private static readonly Lazy<Dictionary<string, string>> Payloads = new(() => Files.ToDictionary(f => f, f => File.ReadAllText(PayloadPath(f))));

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

    [Property(MaxTest = 2000)]
    public bool Read_ArbitraryBytes_NeverThrows(byte[] body, string? identifier) =>
        JiraWebhook.Read(Site, identifier, body ?? []) is WebhookIntake.Malformed or WebhookIntake.Ignored or WebhookIntake.Event;

    [Property(MaxTest = 3000)]
    public Property Read_AnyFieldReplacedByAnyJsonValue_NeverThrows() =>
        Prop.ForAll(Arb.From(Gen.Elements(Files)), Arb.From(Gen.Elements(Paths)), Arb.From(Gen.Elements(Values)), (file, path, value) =>
        {
            var root = JsonNode.Parse(Payloads.Value[file])!;
            var segments = path.Split('.');
            var parent = segments[..^1].Aggregate((JsonNode?)root, (node, name) => node?[name]);
            if (parent is JsonObject obj)
            {
                obj[segments[^1]] = JsonNode.Parse(value);
            }
            var intake = JiraWebhook.Read(Site, null, Encoding.UTF8.GetBytes(root.ToJsonString()));
            return intake is WebhookIntake.Malformed or WebhookIntake.Ignored
                || (intake is WebhookIntake.Event e && e.DeliveryId.Length <= 256 && e.TicketEvent.Ticket.Key.Length <= 512);
        });

    [Property(MaxTest = 500)]
    public Property Read_TruncatedPayload_IsMalformed() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, Encoding.UTF8.GetByteCount(Payloads.Value[Files[0]]) - 3)), cut =>
            JiraWebhook.Read(Site, null, Encoding.UTF8.GetBytes(Payloads.Value[Files[0]])[..cut]) is WebhookIntake.Malformed);
}
