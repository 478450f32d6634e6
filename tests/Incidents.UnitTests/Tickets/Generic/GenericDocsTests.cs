using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Tickets;
using Incidents.Tickets.Generic;

namespace Incidents.UnitTests.Tickets.Generic;

/// <summary>docs/generic-webhook.md, its JSON Schemas and the payload files tell the same story as the code.</summary>
public sealed class GenericDocsTests
{
    public static TheoryData<string> PayloadFiles() => [.. GenericDocs.PayloadFiles];

    public static TheoryData<string> CallbackExamples() => [.. GenericDocs.Blocks("callback-example").Keys];

    [Fact]
    public void Docs_EventExamples_AreExactlyThePayloadFiles()
    {
        var documented = GenericDocs.Blocks("example");

        Assert.Equal(GenericDocs.PayloadFiles, documented.Keys.Order(StringComparer.Ordinal));
        Assert.All(documented, d => Assert.Equal(Encoding.UTF8.GetString(GenericDocs.Payload(d.Key)), d.Value));
    }

    [Fact]
    public void Docs_EveryEventType_HasAnExample()
    {
        var events = GenericDocs.PayloadFiles.Select(f => JsonNode.Parse(GenericDocs.Payload(f))!["event"]!.GetValue<string>());

        Assert.Equal(GenericWebhook.Events.Order(StringComparer.Ordinal), events.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PayloadFiles))]
    public void Schema_PayloadFile_IsValid(string file)
    {
        var results = GenericDocs.Evaluate(GenericDocs.EventSchema, Encoding.UTF8.GetString(GenericDocs.Payload(file)));

        Assert.True(results.IsValid, GenericDocs.Errors(results));
    }

    [Theory]
    [MemberData(nameof(CallbackExamples))]
    public void CallbackSchema_DocumentedExample_IsValid(string definition)
    {
        var results = GenericDocs.Evaluate(GenericDocs.CallbackSchema(definition), GenericDocs.Blocks("callback-example")[definition]);

        Assert.True(results.IsValid, GenericDocs.Errors(results));
    }

    [Fact]
    public void CallbackSchema_Examples_CoverEveryDefinitionThatIsABody()
    {
        Assert.Equal(["error", "file", "fileList", "part", "partList", "stored"], GenericDocs.Blocks("callback-example").Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CallbackExamples_Hashes_MatchTheirContent()
    {
        var part = JsonNode.Parse(GenericDocs.Blocks("callback-example")["part"])!;
        var body = part["body"]!.GetValue<string>();
        Assert.Equal(Sha256(Encoding.UTF8.GetBytes(body)), part["sha256"]!.GetValue<string>());
        var marker = global::Incidents.Transcripts.TranscriptMarker.TryParse(body);
        Assert.NotNull(marker);
        Assert.Equal(marker.PartSha256, marker.BodySha256());
        Assert.Equal(part["transcript_sha256"]!.GetValue<string>(), marker.TranscriptSha256);

        var file = JsonNode.Parse(GenericDocs.Blocks("callback-example")["file"])!;
        var content = Convert.FromBase64String(file["content_base64"]!.GetValue<string>());
        Assert.Equal(file["size"]!.GetValue<long>(), content.LongLength);
        Assert.Equal(Sha256(content), file["sha256"]!.GetValue<string>());
    }

    [Fact]
    public void Docs_WebhookTestVector_IsWhatTheCodeComputes()
    {
        var signature = GenericSignature.Sign("whsec_example_4f9c2a", 1772358900, GenericDocs.Payload("opened.json"));

        Assert.Contains($"X-Incidents-Signature: {signature}\n", GenericDocs.Markdown);
        Assert.Contains($"body = the file `opened.json` of section 3,\n{GenericDocs.Payload("opened.json").Length} bytes", GenericDocs.Markdown);
    }

    [Fact]
    public void Docs_CallbackTestVector_IsWhatTheCodeComputes()
    {
        const string query = "ticket=INC-1042&channel=0195a0b0c4d27c3e9a1b2c3d4e5f6071";
        var signature = GenericSignature.Sign("whsec_example_4f9c2a", 1772359200, Encoding.ASCII.GetBytes(query));

        Assert.Contains($"GET /hooks/incidents?{query}\nX-Incidents-Timestamp: 1772359200\nX-Incidents-Signature: {signature}\n", GenericDocs.Markdown);
    }

    /// <summary>Cases around every rule of the format: the schema and the service's reader must agree on each.</summary>
    public static TheoryData<string, string> Variants() => new()
    {
        { "as documented", "{}" },
        { "no actor", """{"actor": null}""" },
        { "no optional ticket fields", """{"ticket": {"url": null, "body": null, "labels": null, "assignees": null, "author": null, "updated_at": null}}""" },
        { "offset and fraction", """{"occurred_at": "2026-03-01T10:55:00.250+01:00"}""" },
        { "unknown member", """{"extra": {"anything": [1, 2]}}""" },
        { "no ticket.id", """{"ticket": {"id": "-"}}""" },
        { "empty ticket.id", """{"ticket": {"id": ""}}""" },
        { "numeric ticket.id", """{"ticket": {"id": 1042}}""" },
        { "control character in ticket.id", """{"ticket": {"id": "INC\u0007"}}""" },
        { "U+0000 in ticket.id", """{"ticket": {"id": "INC\u0000"}}""" },
        { "U+0000 in the title", """{"ticket": {"title": "a\u0000b"}}""" },
        { "ticket.id too long", $$$"""{"ticket": {"id": "{{{new string('x', 257)}}}"}}""" },
        { "ticket.id longest", $$$"""{"ticket": {"id": "{{{new string('x', 256)}}}"}}""" },
        { "empty title", """{"ticket": {"title": ""}}""" },
        { "bad state", """{"ticket": {"state": "pending"}}""" },
        { "state against the event", """{"ticket": {"state": "closed"}}""" },
        { "ftp url", """{"ticket": {"url": "ftp://tickets.example.com/1"}}""" },
        { "label not a string", """{"ticket": {"labels": ["a", 2]}}""" },
        { "assignees not an array", """{"ticket": {"assignees": "erik"}}""" },
        { "no created_at", """{"ticket": {"created_at": "-"}}""" },
        { "date without offset", """{"occurred_at": "2026-03-01T10:55:00"}""" },
        { "date not a date", """{"occurred_at": "2026-13-45T10:55:00Z"}""" },
        { "date with a space", """{"occurred_at": "2026-03-01 10:55:00Z"}""" },
        { "bad updated_at", """{"ticket": {"updated_at": "yesterday"}}""" },
        { "no occurred_at", """{"occurred_at": "-"}""" },
        { "no ticket", """{"ticket": "-"}""" },
        { "ticket not an object", """{"ticket": [1]}""" },
        { "actor not a string", """{"actor": 7}""" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void SchemaAndReader_VariantOfOpened_AgreeOnValidity(string name, string patch)
    {
        var json = Patch(Encoding.UTF8.GetString(GenericDocs.Payload("opened.json")), patch);
        var schemaValid = GenericDocs.Evaluate(GenericDocs.EventSchema, json).IsValid;

        var intake = GenericWebhook.Read("generic", "d-1", Encoding.UTF8.GetBytes(json), null);

        Assert.True(schemaValid == intake is WebhookIntake.Event, $"{name}: schema says {(schemaValid ? "valid" : "invalid")}, the reader answered {intake}");
    }

    [Theory]
    [InlineData("commented.json", """{"comment": "-"}""")]
    [InlineData("commented.json", """{"comment": {"id": "-"}}""")]
    [InlineData("commented.json", """{"comment": {"body": 3}}""")]
    [InlineData("commented.json", """{"comment": {"author": null}}""")]
    [InlineData("closed.json", """{"ticket": {"state": "open"}}""")]
    [InlineData("reopened.json", """{"ticket": {"state": "closed"}}""")]
    [InlineData("updated.json", """{"ticket": {"state": "closed"}}""")]
    [InlineData("deleted.json", """{"ticket": {"state": "closed"}}""")]
    public void SchemaAndReader_VariantOfOtherEvents_AgreeOnValidity(string file, string patch)
    {
        var json = Patch(Encoding.UTF8.GetString(GenericDocs.Payload(file)), patch);
        var schemaValid = GenericDocs.Evaluate(GenericDocs.EventSchema, json).IsValid;

        var intake = GenericWebhook.Read("generic", "d-1", Encoding.UTF8.GetBytes(json), null);

        Assert.True(schemaValid == intake is WebhookIntake.Event, $"{file} {patch}: schema says {(schemaValid ? "valid" : "invalid")}, the reader answered {intake}");
    }

    /// <summary>Merges <paramref name="patch"/> into the JSON: objects recursively, "-" removes a member, anything else replaces.</summary>
    internal static string Patch(string json, string patch)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        Merge(root, JsonNode.Parse(patch)!.AsObject());
        return root.ToJsonString();
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "-")
            {
                target.Remove(name);
            }
            else if (value is JsonObject o && target[name] is JsonObject existing)
            {
                Merge(existing, o);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
