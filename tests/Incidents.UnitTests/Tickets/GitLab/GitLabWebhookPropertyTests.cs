using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incidents.Tickets;
using Incidents.Tickets.GitLab;

namespace Incidents.UnitTests.Tickets.GitLab;

/// <summary>
/// Properties of the GitLab webhook reader and signature check over generated input: reading never throws (it answers
/// Malformed, Ignored or an event), and a Standard Webhooks signature only matches its exact id, timestamp and body.
/// </summary>
public sealed class GitLabWebhookPropertyTests
{
    private static readonly GitLabFilter Filter = new("incidents-bot", IncidentsOnly: false);

    private static readonly string[] Events = ["Issue Hook", "Confidential Issue Hook", "Note Hook", "Confidential Note Hook", "Work Item Hook", "Push Hook", "", "issue hook"];

    private static readonly (string File, string Event)[] Captures =
    [
        ("issue.open.json", "Issue Hook"), ("issue.update.json", "Issue Hook"), ("issue_hook__incident_created.json", "Issue Hook"),
        ("note.issue.create.json", "Note Hook"), ("docs.note_hook.issue.json", "Note Hook"), ("confidential_issue_hook__incident_updated.json", "Confidential Issue Hook"),
    ];

    private static readonly string[] Paths =
    [
        "object_kind", "project", "project.id", "project_id", "user", "user.id", "user.username", "labels", "assignees", "assignee", "object_attributes",
        "object_attributes.iid", "object_attributes.title", "object_attributes.state", "object_attributes.action", "object_attributes.type",
        "object_attributes.created_at", "object_attributes.updated_at", "object_attributes.closed_at", "object_attributes.moved_to_id",
        "object_attributes.duplicated_to_id", "object_attributes.author_id", "object_attributes.labels", "object_attributes.note",
        "object_attributes.noteable_type", "object_attributes.system", "object_attributes.url", "object_attributes.internal", "issue", "issue.iid",
        "issue.created_at", "issue.state", "issue.labels", "issue.type", "issue.author_id",
    ];

    private static readonly string[] Dates =
    [
        "2015-05-17 17:06:40 UTC", "2026-01-31 19:03:35 +0100", "2026-01-31 19:03:35 +01", "2026-05-28T05:04:31.155Z", " UTC", "+0100", "", "now",
        "0001-01-01 00:00:00 -1400", "9999-12-31 23:59:59 +1400", "2026-13-45 99:99:99 UTC", "\u0000",
    ];

    private static byte[] Capture(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "GitLab", file));

    [Property(MaxTest = 2000)]
    public void Read_ArbitraryBytesAndEventName_NeverThrows(byte[] body, string? eventName) =>
        Assert.NotNull(GitLabWebhook.Read("gitlab", Filter, eventName, "d", body ?? []));

    [Property(MaxTest = 1000)]
    public Property Read_TruncatedCapture_IsMalformed() =>
        Prop.ForAll(Arb.From(Gen.Elements(Captures)), Arb.From(Gen.Choose(0, 1000)), (capture, cut) =>
        {
            var bytes = Capture(capture.File);
            return GitLabWebhook.Read("gitlab", Filter, capture.Event, "d", bytes[..Math.Min(cut, bytes.Length - 2)]) is WebhookIntake.Malformed;
        });

    [Property(MaxTest = 4000)]
    public Property Read_AnyFieldReplacedByAnyJsonValue_NeverThrows() =>
        Prop.ForAll(Arb.From(Gen.Zip(Gen.Elements(Captures), Gen.Elements(Paths))), Arb.From(JsonValues()), Arb.From(Gen.Elements(Events)), (target, value, eventName) =>
        {
            var (capture, path) = target;
            var root = JsonNode.Parse(Capture(capture.File))!;
            if (Set(root, path, value))
            {
                Assert.NotNull(GitLabWebhook.Read("gitlab", Filter, eventName, "d", Encoding.UTF8.GetBytes(root.ToJsonString())));
            }
            return true;
        });

    [Property(MaxTest = 500)]
    public Property SignatureMatches_ItsOwnSignature_IsAccepted() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<NonEmptyString>(), Arb.From(Gen.Choose(-300, 300)), (body, id, skew) =>
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
            var timestamp = now.AddSeconds(skew).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return GitLabSignature.SignatureMatches(key, id.Get, timestamp, "v1," + Sign(key, id.Get, timestamp, body), body, now);
        });

    [Property(MaxTest = 1000)]
    public Property SignatureMatches_AnyChangedBodyByte_IsRejected() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyArray<byte>>(), Arb.From(Gen.Zip(ArbMap.Default.GeneratorFor<int>(), Gen.Choose(1, 255))), (body, change) =>
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
            var signature = "v1," + Sign(key, "msg", "1780000000", body.Get);
            var changed = (byte[])body.Get.Clone();
            changed[(int)((uint)change.Item1 % (uint)changed.Length)] ^= (byte)change.Item2;
            return !GitLabSignature.SignatureMatches(key, "msg", "1780000000", signature, changed, now);
        });

    [Property(MaxTest = 1000)]
    public void SignatureMatches_ArbitraryHeaders_NeverThrow(string? id, string? timestamp, string? signatures, byte[] body) =>
        GitLabSignature.SignatureMatches([1, 2, 3], id, timestamp, signatures, body ?? [], DateTimeOffset.UnixEpoch);

    private static string Sign(byte[] key, string id, string timestamp, byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body]));

    /// <summary>Sets a dotted path where its parent exists in this capture; false when it does not.</summary>
    private static bool Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            if (parent is not JsonObject o || o[part] is not { } child)
            {
                return false;
            }
            parent = child;
        }
        if (parent is not JsonObject target)
        {
            return false;
        }
        target[parts[^1]] = value;
        return true;
    }

    private static Gen<JsonNode?> JsonValues()
    {
        var scalars = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            ArbMap.Default.GeneratorFor<long>().Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<NormalFloat>().Select(n => (JsonNode?)JsonValue.Create(n.Get)),
            Gen.Elements(decimal.MaxValue, 1e-28m).Select(n => (JsonNode?)JsonValue.Create(n)),
            ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Elements("issue", "work_item", "note", "Issue", "Incident", "Task", "open", "close", "reopen", "update", "opened", "closed")
                .Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Elements(Dates).Select(s => (JsonNode?)JsonValue.Create(s)));
        return Gen.OneOf(
            scalars,
            scalars.ArrayOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())])),
            scalars.Select(v => (JsonNode?)new JsonObject { ["title"] = v?.DeepClone(), ["username"] = v?.DeepClone(), ["id"] = v?.DeepClone() }));
    }
}
