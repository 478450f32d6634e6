using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Incidents.UnitTests.Tickets.Generic;

/// <summary>
/// The generic webhook's documents as the tests read them: docs/generic-webhook.md, its two JSON Schemas and the
/// payload files (src/Incidents.Simulators/Payloads/Generic), all from the repository itself.
/// </summary>
internal static partial class GenericDocs
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);
    private static readonly Lazy<BuildOptions> Build = new(LoadSchemas);

    public static string Markdown => File.ReadAllText(Path.Combine(Root.Value, "docs", "generic-webhook.md")).ReplaceLineEndings("\n");

    public static string PayloadFolder => Path.Combine(Root.Value, "src", "Incidents.Simulators", "Payloads", "Generic");

    public static IEnumerable<string> PayloadFiles => Directory.GetFiles(PayloadFolder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static byte[] Payload(string file) => File.ReadAllBytes(Path.Combine(PayloadFolder, file));

    /// <summary>Every fenced json block after a <c>&lt;!-- {tag}: NAME --&gt;</c> line, by name (the text between the fences, with its last newline).</summary>
    public static IReadOnlyDictionary<string, string> Blocks(string tag) =>
        Block().Matches(Markdown).Where(m => m.Groups["tag"].Value == tag)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["body"].Value, StringComparer.Ordinal);

    /// <summary>The shell script after <c>&lt;!-- sender-script --&gt;</c>.</summary>
    public static string SenderScript => Script().Match(Markdown) is { Success: true } m ? m.Groups["body"].Value : throw new InvalidOperationException("no sender script in the document");

    public static JsonSchema EventSchema => Ref("urn:incidents:generic-webhook:1");

    public static JsonSchema CallbackSchema(string definition) => Ref($"urn:incidents:generic-callback:1#/$defs/{definition}");

    public static EvaluationResults Evaluate(JsonSchema schema, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
    }

    public static string Errors(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static JsonSchema Ref(string uri) => JsonSchema.FromText($$"""{"$ref": "{{uri}}"}""", Build.Value);

    private static BuildOptions LoadSchemas()
    {
        var options = new BuildOptions();
        foreach (var name in new[] { "generic-webhook.schema.json", "generic-callback.schema.json" })
        {
            JsonSchema.FromText(File.ReadAllText(Path.Combine(Root.Value, "docs", name)), options);
        }
        return options;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Incidents.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No folder containing Incidents.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^<!-- (?<tag>example|callback-example): (?<name>[\w.-]+) -->\n```json\n(?<body>.*?\n)```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^<!-- sender-script -->\n```sh\n(?<body>.*?\n)```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Script();
}
