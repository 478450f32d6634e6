using System.Text.Json;
using Json.Schema;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>docs/generic-callback.schema.json, to check what the service really sends to a receiver.</summary>
internal static class CallbackSchema
{
    private static readonly Lazy<BuildOptions> Build = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Incidents.sln")))
        {
            dir = dir.Parent;
        }
        var options = new BuildOptions();
        JsonSchema.FromText(File.ReadAllText(Path.Combine(dir!.FullName, "docs", "generic-callback.schema.json")), options);
        return options;
    });

    /// <summary>Null when <paramref name="json"/> is valid against the schema's <c>$defs/{definition}</c>, else the errors.</summary>
    public static string? Errors(string definition, string json)
    {
        var schema = JsonSchema.FromText($$"""{"$ref": "urn:incidents:generic-callback:1#/$defs/{{definition}}"}""", Build.Value);
        using var doc = JsonDocument.Parse(json);
        var results = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? null : string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
    }
}
