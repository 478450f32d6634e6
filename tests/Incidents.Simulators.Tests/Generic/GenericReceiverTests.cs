using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.Generic;

/// <summary>The generic reference receiver behaves as docs/generic-webhook.md section 4 says a receiver must.</summary>
public sealed class GenericReceiverTests
{
    private const string Secret = "generic-callback-secret";
    private const string Channel = "0195a0b0c4d27c3e9a1b2c3d4e5f6071";

    private static string Sign(string secret, long timestamp, byte[] payload) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{timestamp}.").Concat(payload).ToArray()));

    private static async Task<ApiResult> PostAsync(Sim sim, JsonObject json, string? key = "k-1", string secret = Secret, long? timestamp = null, string path = "generic/transcripts")
    {
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var ts = timestamp ?? sim.Time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add("X-Incidents-Timestamp", ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Incidents-Signature", Sign(secret, ts, body));
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await ApiResult.ReadAsync(await http.SendAsync(request));
    }

    private static async Task<ApiResult> GetAsync(Sim sim, string query, string? signedQuery = null, string path = "generic/transcripts")
    {
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?{query}");
        var ts = sim.Time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add("X-Incidents-Timestamp", ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Incidents-Signature", Sign(Secret, ts, Encoding.ASCII.GetBytes(signedQuery ?? query)));
        return await ApiResult.ReadAsync(await http.SendAsync(request));
    }

    private static JsonObject Part(string body, int part = 1, int parts = 1, string ticket = "INC-1042") => new()
    {
        ["kind"] = "part",
        ["ticket"] = ticket,
        ["channel"] = Channel,
        ["part"] = part,
        ["parts"] = parts,
        ["transcript_sha256"] = new string('a', 64),
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))),
        ["body"] = body,
    };

    [Fact]
    public async Task Post_SignedPart_IsStoredAndListedBackByteForByte()
    {
        await using var sim = await Sim.StartAsync();
        const string body = "<!-- marker -->\n```sh\necho 1\n```\nGrüße 🚀 \"quoted\" <b>\n";

        var stored = await PostAsync(sim, Part(body));
        var listed = await GetAsync(sim, $"ticket=INC-1042&channel={Channel}");

        Assert.Equal(HttpStatusCode.Created, stored.Status);
        var id = stored.Json["id"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(stored.Json["url"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        var item = Assert.Single(listed.Json["parts"]!.AsArray())!;
        Assert.Equal(id, item["id"]!.GetValue<string>());
        Assert.Equal(body, item["body"]!.GetValue<string>());
        Assert.Null(listed.Json["next_cursor"]);
        Assert.Equal(body, Assert.Single(sim.Host.Generic.Parts("transcripts", "INC-1042")).Body);
    }

    [Fact]
    public async Task Post_SameIdempotencyKeyAgain_Is200WithTheStoredIdAndNoCopy()
    {
        await using var sim = await Sim.StartAsync();
        var first = await PostAsync(sim, Part("a"));

        var again = await PostAsync(sim, Part("a"));
        var reused = await PostAsync(sim, Part("b"));

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Json["id"]!.GetValue<string>(), again.Json["id"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode)422, reused.Status);
        Assert.Equal("idempotency_key_reused", reused.Json["error"]!.GetValue<string>());
        Assert.Single(sim.Host.Generic.Parts("transcripts", "INC-1042"));
    }

    [Fact]
    public async Task Post_ContractViolations_AnswerTheDocumentedErrors()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, GenericMaxPartLength = 100 });
        var wrongHash = Part("body");
        wrongHash["sha256"] = new string('0', 64);
        var noChannel = Part("body");
        noChannel.Remove("channel");

        Assert.Equal((HttpStatusCode)422, (await PostAsync(sim, wrongHash)).Status);
        Assert.Equal("channel", (await PostAsync(sim, noChannel, key: "k-2")).Json["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(sim, Part(new string('x', 101)), key: "k-3")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(sim, Part(new string('x', 100)), key: "k-4")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(sim, Part("body"), key: null)).Status);
    }

    [Theory]
    [InlineData("another secret", 0)]
    [InlineData(Secret, -301)]
    [InlineData(Secret, 301)]
    public async Task Post_WrongSecretOrStaleTimestamp_Is401AndStoresNothing(string secret, int offset)
    {
        await using var sim = await Sim.StartAsync();

        var result = await PostAsync(sim, Part("a"), secret: secret, timestamp: sim.Time.GetUtcNow().AddSeconds(offset).ToUnixTimeSeconds());

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("invalid_signature", result.Json["error"]!.GetValue<string>());
        Assert.Empty(sim.Host.Generic.AllParts);
    }

    [Fact]
    public async Task Receivers_HaveTheirOwnSecretsAndParts()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Generic.SetSecret("ops", "ops-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(sim, Part("a"), path: "generic/ops")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(sim, Part("a"), secret: "ops-secret", path: "generic/ops")).Status);
        Assert.Single(sim.Host.Generic.Parts("ops", "INC-1042"));
        Assert.Empty(sim.Host.Generic.Parts("transcripts", "INC-1042"));
    }

    [Fact]
    public async Task Get_SignatureCoversTheQuery_AnotherQueryIs401()
    {
        await using var sim = await Sim.StartAsync();
        await PostAsync(sim, Part("a", ticket: "INC-7"));

        var result = await GetAsync(sim, "ticket=INC-7", signedQuery: "ticket=INC-1042");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
    }

    [Fact]
    public async Task Get_ManyParts_ArePagedByCursorUntilNull()
    {
        await using var sim = await Sim.StartAsync(time => new SimulatorOptions { TimeProvider = time, GenericPageSize = 3 });
        for (var i = 1; i <= 7; i++)
        {
            await PostAsync(sim, Part($"part {i}", i, 7), key: $"k-{i}");
        }

        var bodies = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = $"ticket=INC-1042&channel={Channel}" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await GetAsync(sim, query);
            bodies.AddRange(page.Json["parts"]!.AsArray().Select(p => p!["body"]!.GetValue<string>()));
            cursor = page.Json["next_cursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"part {i}"), bodies);
    }

    [Fact]
    public async Task File_PostedListedAndRead_ComesBackByteForByte()
    {
        await using var sim = await Sim.StartAsync();
        var content = Encoding.UTF8.GetBytes("<!DOCTYPE html>\n<p>transcript</p>\n");
        var file = new JsonObject
        {
            ["kind"] = "file",
            ["ticket"] = "INC-1042",
            ["file_name"] = "inc-1-transcript-abcd.html",
            ["content_type"] = "text/html",
            ["size"] = content.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content)),
            ["content_base64"] = Convert.ToBase64String(content),
        };

        var stored = await PostAsync(sim, file, key: "file-1");
        var listed = await GetAsync(sim, "ticket=INC-1042&file_name=inc-1-transcript-abcd.html");
        var id = Assert.Single(listed.Json["files"]!.AsArray())!["id"]!.GetValue<string>();
        using var http = new HttpClient { BaseAddress = sim.Host.BaseUrl };
        var query = $"ticket=INC-1042&file_id={id}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"generic/transcripts?{query}");
        var ts = sim.Time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add("X-Incidents-Timestamp", ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Incidents-Signature", Sign(Secret, ts, Encoding.ASCII.GetBytes(query)));
        using var read = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, stored.Status);
        Assert.Equal(stored.Json["id"]!.GetValue<string>(), id);
        Assert.Equal(content, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/html", read.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Faults_TooManyRequests_Is429WithRetryAfter()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.Faults["generic"].Apply(new FaultSettings { TooManyRequests = 1, RetryAfterSeconds = 42 });

        var limited = await PostAsync(sim, Part("a"));
        var next = await PostAsync(sim, Part("a"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("42", limited.Header("Retry-After"));
        Assert.Equal("rate_limited", limited.Json["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, next.Status);
    }
}
