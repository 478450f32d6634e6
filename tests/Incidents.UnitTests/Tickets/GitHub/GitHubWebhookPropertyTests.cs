using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Tickets;
using Incidents.Tickets.GitHub;

namespace Incidents.UnitTests.Tickets.GitHub;

/// <summary>
/// Properties of the GitHub webhook reader and signature check over generated input: reading never throws (it answers
/// Malformed, Ignored, Ping or an event), and a signature only matches its exact body, secret and header.
/// </summary>
public sealed class GitHubWebhookPropertyTests
{
    private const string Payload = """
        {"action":"opened","issue":{"number":7,"title":"Database down","html_url":"https://github.com/o/r/issues/7",
        "user":{"login":"alice"},"labels":[{"name":"sev1"}],"assignees":[{"login":"bob"}],"body":"It is down.",
        "state":"open","created_at":"2026-01-05T08:00:00Z","updated_at":"2026-01-05T08:00:00Z","closed_at":null},
        "repository":{"id":42,"full_name":"o/r","name":"r"},"sender":{"login":"alice"},
        "comment":{"body":"hello","user":{"login":"carol"},"created_at":"2026-01-05T08:01:00Z","html_url":"https://x"}}
        """;

    private static readonly string[] Events = ["issues", "issue_comment", "ping", "pull_request", "", "ISSUES", "issues\u00e9"];

    private static readonly string[] Paths =
    [
        "action", "issue", "issue.number", "issue.title", "issue.user", "issue.labels", "issue.assignees", "issue.body", "issue.state",
        "issue.created_at", "issue.updated_at", "issue.closed_at", "issue.state_reason", "issue.pull_request", "repository", "repository.id",
        "repository.full_name", "sender", "comment", "comment.body", "comment.user", "comment.created_at",
    ];

    private static readonly string[] Dates =
    [
        "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-45T99:99:99Z", "", "now", "1e9", "2026-01-05", "2026-01-05T08:00:00.1234567+05:30",
        "Mon, 05 Jan 2026 08:00:00 GMT", "\u0000", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
    ];

    [Property(MaxTest = 2000)]
    public void Read_ArbitraryBytesAndHeaders_NeverThrows(byte[] body, string? eventName, string? deliveryId) =>
        Assert.NotNull(GitHubWebhook.Read("github", eventName, deliveryId, body ?? []));

    [Property(MaxTest = 500)]
    public Property Read_HandledEventWithArbitraryBytes_IsMalformedOrAnEvent() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Arb.From(Gen.Elements("issues", "issue_comment")), (body, eventName) =>
            GitHubWebhook.Read("github", eventName, "d", body) is WebhookIntake.Malformed or WebhookIntake.Ignored or WebhookIntake.Event);

    [Property(MaxTest = 1000)]
    public Property Read_TruncatedPayload_IsMalformed() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, Encoding.UTF8.GetByteCount(Payload) - 2)), cut =>
            GitHubWebhook.Read("github", "issues", "d", Encoding.UTF8.GetBytes(Payload)[..cut]) is WebhookIntake.Malformed);

    [Property(MaxTest = 3000)]
    public Property Read_AnyFieldReplacedByAnyJsonValue_NeverThrows() =>
        Prop.ForAll(Arb.From(Gen.Elements(Paths)), Arb.From(JsonValues()), Arb.From(Gen.Elements(Events)), (path, value, eventName) =>
        {
            var body = Replace(path, value);
            return GitHubWebhook.Read("github", eventName, "d", body) is not null;
        });

    [Property(MaxTest = 500)]
    public Property Read_AnyDateString_NeverThrows() =>
        Prop.ForAll(Arb.From(Gen.OneOf(Gen.Elements(Dates), ArbMap.Default.GeneratorFor<string>())), Arb.From(Gen.Elements("issue.created_at", "issue.updated_at", "issue.closed_at", "comment.created_at")),
            Arb.From(Gen.Elements("opened", "closed", "reopened", "edited", "created")), (date, path, action) =>
            {
                var root = JsonNode.Parse(Payload)!;
                root["action"] = action;
                Set(root, path, date is null ? null : JsonValue.Create(date));
                var eventName = action == "created" ? "issue_comment" : "issues";
                return GitHubWebhook.Read("github", eventName, "d", Encoding.UTF8.GetBytes(root.ToJsonString())) is not null;
            });

    [Property]
    public void Read_ValidPayload_IsAnEvent() =>
        Assert.IsType<WebhookIntake.Event>(GitHubWebhook.Read("github", "issues", "d", Encoding.UTF8.GetBytes(Payload)));

    [Property(MaxTest = 500)]
    public Property VerifySignature_ItsOwnSignature_IsAccepted() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<NonEmptyString>(), (body, secret) =>
            GitHubWebhook.VerifySignature(secret.Get, Sign(secret.Get, body), body));

    [Property(MaxTest = 1000)]
    public Property VerifySignature_AnyChangedBodyByte_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyArray<byte>>(), ArbMap.Default.ArbFor<NonEmptyString>(), Arb.From(Gen.Zip(ArbMap.Default.GeneratorFor<int>(), Gen.Choose(1, 255))),
            (body, secret, change) =>
            {
                var original = body.Get;
                var changed = (byte[])original.Clone();
                changed[(int)((uint)change.Item1 % (uint)changed.Length)] ^= (byte)change.Item2;
                return !GitHubWebhook.VerifySignature(secret.Get, Sign(secret.Get, original), changed);
            });

    [Property(MaxTest = 500)]
    public Property VerifySignature_TruncatedOrExtendedBody_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyArray<byte>>(), ArbMap.Default.ArbFor<NonEmptyString>(), ArbMap.Default.ArbFor<byte>(), (body, secret, extra) =>
        {
            var signature = Sign(secret.Get, body.Get);
            return !GitHubWebhook.VerifySignature(secret.Get, signature, body.Get[..^1]) && !GitHubWebhook.VerifySignature(secret.Get, signature, [.. body.Get, extra]);
        });

    [Property(MaxTest = 1000)]
    public Property VerifySignature_AnyChangedHexDigit_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Arb.From(Gen.Choose(0, 63)), Arb.From(Gen.Choose(1, 15)), (body, at, delta) =>
        {
            var signature = Sign("secret", body).ToCharArray();
            var index = "sha256=".Length + at;
            var digit = Convert.ToInt32(signature[index].ToString(), 16);
            signature[index] = "0123456789abcdef"[(digit + delta) % 16];
            return !GitHubWebhook.VerifySignature("secret", new string(signature), body);
        });

    [Property(MaxTest = 500)]
    public Property VerifySignature_OtherSecret_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<NonEmptyString>(), ArbMap.Default.ArbFor<NonEmptyString>(), (body, secret, other) =>
            secret.Get == other.Get || !GitHubWebhook.VerifySignature(other.Get, Sign(secret.Get, body), body));

    [Property(MaxTest = 2000)]
    public void VerifySignature_ArbitraryHeader_NeverThrows(string? header, byte[] body) =>
        GitHubWebhook.VerifySignature("secret", header, body ?? []);

    [Property(MaxTest = 500)]
    public Property VerifySignature_HeaderCutOrExtended_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Arb.From(Gen.Choose(0, 70)), Arb.From(Gen.Elements("0", "a", " ", "\n", "=", "g")), (body, keep, suffix) =>
        {
            var signature = Sign("secret", body);
            return !GitHubWebhook.VerifySignature("secret", signature[..keep], body) && !GitHubWebhook.VerifySignature("secret", signature + suffix, body);
        });

    private static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static byte[] Replace(string path, JsonNode? value)
    {
        var root = JsonNode.Parse(Payload)!;
        Set(root, path, value);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!;
        }

        parent[parts[^1]] = value;
    }

    private static Gen<JsonNode?> JsonValues()
    {
        var scalars = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            ArbMap.Default.GeneratorFor<long>().Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<NormalFloat>().Select(n => (JsonNode?)JsonValue.Create(n.Get)),
            Gen.Elements(decimal.MaxValue, decimal.MinValue, 1e-28m).Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Elements(Dates).Select(s => (JsonNode?)JsonValue.Create(s)));
        return Gen.OneOf(
            scalars,
            scalars.ArrayOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())])),
            scalars.Select(v => (JsonNode?)new JsonObject { ["login"] = v?.DeepClone(), ["name"] = v?.DeepClone(), ["id"] = v?.DeepClone() }));
    }
}
