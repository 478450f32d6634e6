using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Incidents.Tickets.GitHub;

namespace Incidents.Benchmarks.Micro;

/// <summary>The per-webhook hot path before the database: signature check and payload reading of the captured <c>issues.opened</c>.</summary>
[MemoryDiagnoser]
public class WebhookBenchmarks
{
    private const string Secret = "bench-webhook-secret-5e1d";
    private byte[] _body = [];
    private string _signature = "";

    [GlobalSetup]
    public void Setup()
    {
        _body = File.ReadAllBytes(MicroPaths.Payload("issues.opened.json"));
        _signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), _body));
    }

    [Benchmark]
    public bool VerifySignature() => GitHubWebhook.VerifySignature(Secret, _signature, _body);

    [Benchmark]
    public object Read() => GitHubWebhook.Read("github", "issues", "72d3162e-cc78-11e3-81ab-4c9367dc0958", _body);

    /// <summary>Both, as the endpoint does them for every delivery.</summary>
    [Benchmark]
    public object VerifyAndRead() => GitHubWebhook.VerifySignature(Secret, _signature, _body)
        ? GitHubWebhook.Read("github", "issues", "72d3162e-cc78-11e3-81ab-4c9367dc0958", _body)
        : throw new InvalidOperationException("signature");
}
