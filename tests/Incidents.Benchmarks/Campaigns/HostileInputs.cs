using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Fuzzed and malformed requests to <c>POST /webhooks/…</c>. <see cref="Unsigned"/> never carries a valid signature
/// (or is refused before it is checked), so nothing may be stored; <see cref="Signed"/> is correctly signed but
/// malformed, hostile or odd, and must be answered without a 5xx.
/// </summary>
internal sealed class HostileInputs(TicketPayloads payloads, int maxBodyBytes, int seed)
{
    private readonly Random _random = new(seed);

    public sealed record Case(string Category, Func<Uri, HttpRequestMessage> Build);

    public Case Unsigned(int i)
    {
        var valid = Encoding.UTF8.GetBytes(payloads.Opened(500_000 + (i % 1000), Lifecycles.Epoch).Body);
        var category = i % 16;
        switch (category)
        {
            case 0:
                return new("no signature", u => Post(u, "github", valid, "issues", null));
            case 1:
                return new("random signature", u => Post(u, "github", valid, "issues", "sha256=" + Convert.ToHexStringLower(RandomBytes(32))));
            case 2:
                {
                    var mutated = Mutate(valid);
                    return new("signature of another body", u => Post(u, "github", valid, "issues", WebhookSender.Sign(mutated)));
                }

            case 3:
                {
                    var signature = WebhookSender.Sign(valid);
                    var body = Mutate(valid);
                    return new("body changed after signing", u => Post(u, "github", body, "issues", signature));
                }

            case 4:
                {
                    // Leading/trailing blanks are not here: HTTP trims them, so " " + a valid signature is a valid signature.
                    var good = WebhookSender.Sign(valid);
                    var variants = new[]
                    {
                        good[..^1], good + "0", "sha256=" + new string('z', 64), "sha1=" + good[7..47], "x" + good, good.Replace("sha256=", "SHA256=", StringComparison.Ordinal),
                        "sha256=", "sha256", "", good + "," + good, "sha256=g" + good[8..], "sha256=" + new string('0', 64), "sha256=\u00e9" + good[8..],
                        "sha256=" + (good[7] == '0' ? '1' : '0') + good[8..],
                    };
                    var header = variants[_random.Next(variants.Length)];
                    return new("malformed signature header", u => Post(u, "github", valid, "issues", header));
                }

            case 5:
                {
                    var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not-the-secret"), valid));
                    return new("signed with another secret", u => Post(u, "github", valid, "issues", signature));
                }

            case 6:
                {
                    var cut = valid[.._random.Next(1, valid.Length)];
                    return new("truncated JSON, unsigned", u => Post(u, "github", cut, "issues", "sha256=" + Convert.ToHexStringLower(RandomBytes(32))));
                }

            case 7:
                {
                    var bytes = RandomBytes(_random.Next(0, 4096));
                    var evt = _random.Next(2) == 0 ? "issues" : "issue_comment";
                    var signature = "sha256=" + Convert.ToHexStringLower(RandomBytes(32));
                    return new("random bytes", u => Post(u, "github", bytes, evt, signature));
                }

            case 8:
                {
                    var big = new byte[maxBodyBytes + 1 + _random.Next(0, 64 * 1024)];
                    big.AsSpan().Fill((byte)' ');
                    valid.CopyTo(big, 0);
                    var signature = WebhookSender.Sign(big);
                    return new("oversized body (correctly signed)", u => Post(u, "github", big, "issues", signature));
                }

            case 9:
                {
                    var size = maxBodyBytes + 1 + _random.Next(0, 64 * 1024);
                    return new("oversized chunked body", u =>
                    {
                        var request = Post(u, "github", [], "issues", null);
                        request.Content = new StreamContent(new ChunkedFiller(size));
                        request.Headers.TransferEncodingChunked = true;
                        return request;
                    });
                }

            case 10:
                {
                    var sources = new[] { "gitlab", "GITHUB", "github%00", "%F0%9F%92%A5", new string('a', 300), "github.json", "..%2Fadmin", "gith%C3%BCb", "jira", "%20" };
                    var source = sources[_random.Next(sources.Length)];
                    var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not-the-secret"), valid));
                    return new("unknown or odd source", u => Post(u, source, valid, "issues", signature));
                }

            case 11:
                {
                    var events = new[] { new string('x', 8000), "issues\u00e9", "", "issue_comment ", "ISSUES" };
                    var evt = events[_random.Next(events.Length)];
                    var signature = "sha256=" + Convert.ToHexStringLower(RandomBytes(32));
                    return new("weird event header", u => Post(u, "github", valid, evt, signature));
                }

            case 12:
                {
                    var first = "sha256=" + Convert.ToHexStringLower(RandomBytes(32));
                    var second = WebhookSender.Sign(Mutate(valid));
                    return new("duplicate signature headers", u =>
                    {
                        var request = Post(u, "github", valid, "issues", first);
                        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", second);
                        return request;
                    });
                }

            case 13:
                {
                    var type = _random.Next(2) == 0 ? "application/x-www-form-urlencoded" : "text/plain; charset=utf-16";
                    return new("odd content type / encoding", u =>
                    {
                        var request = Post(u, "github", valid, "issues", null);
                        request.Content!.Headers.ContentType = null;
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", "gzip");
                        return request;
                    });
                }

            case 14:
                return new("empty request", u => new HttpRequestMessage(HttpMethod.Post, new Uri(u, "webhooks/github")) { Content = new ByteArrayContent([]) });
            default:
                {
                    var unicode = Encoding.UTF8.GetBytes(payloads.Opened(500_000 + (i % 1000), Lifecycles.Epoch).Body.Replace("Campaign incident", "\u202e\u200d💥 \u0301ɪɴᴄɪᴅᴇɴᴛ", StringComparison.Ordinal));
                    return new("unicode body, unsigned", u => Post(u, "github", unicode, "issues", null));
                }
        }
    }

    public Case Signed(int i)
    {
        var number = 700_000 + i;
        var root = JsonNode.Parse(payloads.Opened(number, Lifecycles.Epoch.AddSeconds(i)).Body)!.AsObject();
        var category = i % 14;
        string? raw = null;
        var delivery = Guid.NewGuid().ToString();
        var evt = "issues";
        string name;
        switch (category)
        {
            case 0:
                name = "truncated JSON";
                var text = root.ToJsonString();
                raw = text[.._random.Next(1, text.Length)];
                break;
            case 1:
                name = "issue of the wrong type";
                root["issue"] = _random.Next(3) switch { 0 => new JsonArray(1, 2), 1 => "issue", _ => 42 };
                break;
            case 2:
                name = "number of the wrong type";
                root["issue"]!["number"] = _random.Next(4) switch { 0 => "12", 1 => 1.5, 2 => JsonValue.Create(decimal.MaxValue), _ => null };
                break;
            case 3:
                name = "repository of the wrong shape";
                root["repository"] = _random.Next(2) == 0 ? new JsonObject { ["id"] = "x", ["full_name"] = 7 } : null;
                break;
            case 4:
                name = "dates out of range or invalid";
                root["issue"]!["created_at"] = new[] { "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-45T99:99:99Z", "", "now", "1e9" }[_random.Next(6)];
                break;
            case 5:
                name = "huge title and body (under the size limit)";
                root["issue"]!["title"] = new string('T', _random.Next(10_000, 300_000));
                root["issue"]!["body"] = new string('B', _random.Next(10_000, 300_000));
                break;
            case 6:
                name = "unicode edge cases";
                root["issue"]!["title"] = new[] { "💥\u200d\u202e\ufeffincident", "e\u0301\u0301\u0301", "\u0000nul", "\ud800 lone surrogate", "\uffff\ufffe", "ǅ İ ß ﬀ" }[_random.Next(6)];
                root["issue"]!["body"] = "\u0000 body with NUL";
                break;
            case 7:
                name = "escaped lone surrogates and NUL";
                raw = root.ToJsonString().Replace("\"Campaign incident", "\"\\ud800\\u0000Campaign incident", StringComparison.Ordinal);
                break;
            case 8:
                name = "deeply nested JSON";
                raw = new string('[', 5000) + new string(']', 5000);
                break;
            case 9:
                name = "overlong or odd delivery id";
                delivery = _random.Next(2) == 0 ? new string('d', 300 + _random.Next(2000)) : "  ";
                break;
            case 10:
                name = "overlong repository name";
                root["repository"]!["full_name"] = "o/" + new string('r', 600);
                break;
            case 11:
                name = "unhandled actions and events";
                root["action"] = new[] { "pinned", "milestoned", "", "OPENED" }[_random.Next(4)];
                evt = _random.Next(2) == 0 ? "issues" : "pull_request";
                break;
            case 12:
                name = "comment of the wrong shape";
                evt = "issue_comment";
                root["action"] = "created";
                root["comment"] = _random.Next(2) == 0 ? null : new JsonObject { ["body"] = 5, ["user"] = "x", ["created_at"] = "yesterday" };
                break;
            default:
                name = "labels, assignees and sender of the wrong shape";
                root["issue"]!["labels"] = new JsonObject { ["name"] = "x" };
                root["issue"]!["assignees"] = new JsonArray("a", 1, null);
                root["sender"] = "someone";
                break;
        }

        var bytes = Encoding.UTF8.GetBytes(raw ?? root.ToJsonString());
        var signature = WebhookSender.Sign(bytes);
        return new(name, u => Post(u, "github", bytes, evt, signature, delivery));
    }

    private static HttpRequestMessage Post(Uri service, string source, byte[] body, string? evt, string? signature, string? delivery = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service, "webhooks/" + source)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (evt is not null)
        {
            request.Headers.TryAddWithoutValidation("X-GitHub-Event", evt);
        }

        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        }

        return request;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Mutate(byte[] body)
    {
        var copy = (byte[])body.Clone();
        switch (_random.Next(3))
        {
            case 0:
                copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                return copy;
            case 1:
                return copy[..^1];
            default:
                return [.. copy, (byte)' '];
        }
    }

    /// <summary>A body of spaces of a given length with no known length, so it is sent chunked.</summary>
    private sealed class ChunkedFiller(int length) : Stream
    {
        private int _left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, _left);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
