using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Incidents.Simulators;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// A webhook body taken from a captured Jira delivery (Payloads/Jira, see SOURCES.md). Tests keep the captured shape
/// and only re-point identity and time fields (issue id and key, timestamps, the comment) so several captures describe
/// one issue's life.
/// </summary>
internal sealed class JiraPayload
{
    private JiraPayload(JsonNode root) => Root = root;

    public JsonNode Root { get; }

    public JsonObject Issue => Root["issue"]!.AsObject();

    public JsonObject Fields => Issue["fields"]!.AsObject();

    public static JiraPayload Load(string file) =>
        new(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Jira", file)))!);

    /// <summary>Points the payload at one issue: id, key and project, in the issue and in a comment's address.</summary>
    public JiraPayload For(JiraTicket ticket)
    {
        if (Root["issue"] is JsonObject issue)
        {
            issue["id"] = ticket.Id;
            issue["key"] = ticket.Key;
            if (issue["fields"]?["project"] is JsonObject project)
            {
                project["key"] = ticket.Project;
            }
        }
        if (Root["comment"] is JsonObject comment && (string?)comment["self"] is { } self)
        {
            var at = self.IndexOf("/issue/", StringComparison.Ordinal) + "/issue/".Length;
            comment["self"] = self[..at] + ticket.Id + self[self.IndexOf('/', at)..];
        }
        return this;
    }

    /// <summary>When the event happened (the webhook's <c>timestamp</c> and the issue's <c>updated</c>), and when the issue was created.</summary>
    public JiraPayload At(DateTimeOffset at, DateTimeOffset created)
    {
        Root["timestamp"] = at.ToUnixTimeMilliseconds();
        if (Root["issue"]?["fields"] is JsonObject fields)
        {
            fields["updated"] = Time(at);
            if (fields.ContainsKey("created"))
            {
                fields["created"] = Time(created);
            }
        }
        return this;
    }

    public JiraPayload Comment(string id, string body, DateTimeOffset at, string? authorAccountId = null)
    {
        var comment = Root["comment"]!.AsObject();
        comment["id"] = id;
        comment["body"] = body;
        comment["created"] = Time(at);
        comment["updated"] = Time(at);
        if (authorAccountId is not null)
        {
            comment["author"]!["accountId"] = authorAccountId;
        }
        Root["timestamp"] = at.ToUnixTimeMilliseconds();
        return this;
    }

    public JiraPayload With(Action<JsonNode> change)
    {
        change(Root);
        return this;
    }

    public byte[] Body() => Encoding.UTF8.GetBytes(Root.ToJsonString());

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}

internal sealed record JiraTicket(string Id, string Key)
{
    public string Project => Key[..Key.IndexOf('-', StringComparison.Ordinal)];
}

/// <summary>Jira configuration pointing at the simulator, and deliveries signed the way Jira signs them.</summary>
internal static class JiraWebhooks
{
    public const string Secret = "jira-webhook-secret-2c9d";
    public const string DataCenterSecret = "jira-dc-webhook-secret-81fe";

    private static readonly SimulatorOptions Sim = new();

    /// <summary>A Jira Cloud site (API v3, ADF) as the default instance, <c>/webhooks/jira</c>.</summary>
    public static void Cloud(Dictionary<string, string?> s, string section = "Tickets:Jira")
    {
        s[$"{section}:WebhookSecret"] = Secret;
        s[$"{section}:SiteUrl"] = s["RocketChat:Url"] + "jira/";
        s[$"{section}:Email"] = Sim.JiraEmail;
        s[$"{section}:ApiToken"] = Sim.JiraApiToken;
        s[$"{section}:IntegrationUser"] = Sim.JiraAccountId;
    }

    /// <summary>A Jira Data Center site (API v2, wiki markup, Bearer token) as the named instance <c>/webhooks/jira/dc</c>.</summary>
    public static void DataCenter(Dictionary<string, string?> s, string section = "Tickets:Jira:Instances:dc")
    {
        s[$"{section}:WebhookSecret"] = DataCenterSecret;
        s[$"{section}:SiteUrl"] = s["RocketChat:Url"] + "jira/";
        s[$"{section}:Deployment"] = "DataCenter";
        s[$"{section}:ApiVersion"] = "2";
        s[$"{section}:PersonalAccessToken"] = Sim.JiraPersonalAccessToken;
        s[$"{section}:IntegrationUser"] = Sim.JiraAccountId;
    }

    /// <summary>
    /// Delivers a webhook as Jira does: raw JSON, <c>X-Hub-Signature</c> and, for Cloud, <c>X-Atlassian-Webhook-Identifier</c>
    /// (a new one unless given; pass <paramref name="cloud"/> false for Data Center, which sends none).
    /// </summary>
    public static Task<HttpResponseMessage> DeliverJiraAsync(this Harness h, JiraPayload payload, string? identifier = null, string? secret = Secret,
        string path = "/webhooks/jira", bool cloud = true) =>
        h.DeliverJiraRawAsync(payload.Body(), cloud ? identifier ?? Guid.NewGuid().ToString() : null, secret, path);

    public static async Task<HttpResponseMessage> DeliverJiraRawAsync(this Harness h, byte[] body, string? identifier, string? secret, string path = "/webhooks/jira")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        request.Headers.UserAgent.ParseAdd("Atlassian-Webhook-HTTP-Client");
        if (identifier is not null)
        {
            request.Headers.Add("X-Atlassian-Webhook-Identifier", identifier);
            request.Headers.Add("X-Atlassian-Webhook-Flow", "Primary");
        }
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        }
        return await h.Client.SendAsync(request);
    }
}
