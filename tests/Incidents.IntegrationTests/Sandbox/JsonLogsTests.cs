using System.Text.Json;

namespace Incidents.IntegrationTests.Sandbox;

/// <summary>With <c>Logging:Format=json</c> every line the service writes is one JSON object (here through a whole sandbox lifecycle).</summary>
public sealed class JsonLogsTests : SandboxTests
{
    private protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["Logging__Format"] = "json" };

    [Fact]
    public void Logs_JsonFormat_EveryLineIsAJsonObject()
    {
        var lines = Output.Where(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => l.Contains("SANDBOX is running", StringComparison.Ordinal));
        Assert.All(lines, line =>
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            Assert.True(doc.RootElement.TryGetProperty("LogLevel", out _), line);
        });
    }
}
