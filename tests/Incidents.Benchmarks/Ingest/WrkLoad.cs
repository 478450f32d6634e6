using System.Globalization;
using System.Text;
using Incidents.Benchmarks.Infrastructure;
using Incidents.Benchmarks.Stack;

namespace Incidents.Benchmarks.Ingest;

/// <summary>
/// Debian's <c>wrk</c> driving pre-signed <c>issues.opened</c> bodies: the pool is written up front as one file per wrk thread
/// (bodies back to back, plus an index of length and signature), and a Lua <c>request()</c> rotates through it with a fresh
/// <c>X-GitHub-Delivery</c> per request (the signature covers the body only, so it stays valid).
/// </summary>
internal sealed class WrkLoad
{
    private const string Script = """
        local n, counter, prefix = 0, 0, "d"
        local bodies, sigs = {}, {}
        local threads = {}

        function setup(thread)
          thread:set("id", #threads)
          table.insert(threads, thread)
        end

        function init(args)
          local dir = args[1]
          prefix = args[2]
          counter = tonumber(args[3])
          local data = assert(io.open(dir .. "/bodies-" .. id .. ".bin", "rb"))
          for line in io.lines(dir .. "/bodies-" .. id .. ".idx") do
            local len, sig = line:match("(%d+) (%S+)")
            n = n + 1
            bodies[n] = data:read(tonumber(len))
            sigs[n] = sig
          end
          data:close()
        end

        function request()
          local i = (counter % n) + 1
          counter = counter + 1
          return wrk.format("POST", "/webhooks/github", {
            ["Content-Type"] = "application/json",
            ["User-Agent"] = "GitHub-Hookshot/bench",
            ["X-GitHub-Event"] = "issues",
            ["X-GitHub-Delivery"] = prefix .. "-" .. id .. "-" .. counter,
            ["X-Hub-Signature-256"] = sigs[i],
          }, bodies[i])
        end

        function done(summary, latency, requests)
          io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
            summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
        end
        """;

    private readonly string _dir;
    private readonly IngestOptions _options;

    private WrkLoad(string dir, IngestOptions options, int bodyBytes)
    {
        _dir = dir;
        _options = options;
        BodyBytes = bodyBytes;
    }

    /// <summary>Per wrk thread: how many distinct bodies (issue numbers) it rotates through.</summary>
    public int PerThread => _options.Pool / _options.Threads;

    public int BodyBytes { get; }

    /// <summary>Writes the pool: issue numbers <paramref name="firstNumber"/>… split between the threads.</summary>
    public static async Task<WrkLoad> PrepareAsync(string dir, IngestOptions options, TicketPayloads payloads, long firstNumber, CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(dir, "ingest.lua"), Script, ct);
        var perThread = options.Pool / options.Threads;
        var bodyBytes = 0;
        for (var t = 0; t < options.Threads; t++)
        {
            await using var data = File.Create(Path.Combine(dir, $"bodies-{t}.bin"));
            await using var index = new StreamWriter(Path.Combine(dir, $"bodies-{t}.idx"));
            for (var i = 0; i < perThread; i++)
            {
                var body = Encoding.UTF8.GetBytes(payloads.Opened(firstNumber + ((long)t * perThread) + i));
                bodyBytes = body.Length;
                await data.WriteAsync(body, ct);
                await index.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{body.Length} {TicketPayloads.Signature(body)}"));
            }
        }

        return new WrkLoad(dir, options, bodyBytes);
    }

    /// <summary>One wrk run; <paramref name="startIndex"/> is where every thread starts in its part of the pool.</summary>
    public async Task<WrkResult> RunAsync(BenchStack stack, Uri target, int targetPid, int seconds, string deliveryPrefix, int startIndex, CancellationToken ct)
    {
        var cpu = CpuMeter.Start(targetPid);
        var name = $"wrk-{deliveryPrefix}";
        var wrk = stack.Start(name, "wrk", [
            "-t", _options.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", _options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s", "--timeout", "10s", "-s", Path.Combine(_dir, "ingest.lua"),
            target.ToString().TrimEnd('/'), "--", _dir, deliveryPrefix, startIndex.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>());
        if (await wrk.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 120), ct) != 0)
        {
            throw new InvalidOperationException($"wrk failed:\n{wrk.Tail()}");
        }

        var line = File.ReadLines(wrk.LogPath).LastOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result:\n{wrk.Tail()}");
        var (process, postgres) = cpu.Stop();
        return WrkResult.Parse(line, startIndex, PerThread, _options.Threads) with { ProcessCpuSeconds = process, PostgresCpuSeconds = postgres };
    }
}

/// <summary>One wrk run: counts, latency (wrk's closed-loop latency, µs) and how far into the pool the threads got.</summary>
internal sealed record WrkResult(long Requests, double Seconds, double P50Ms, double P99Ms, double MaxMs, long StatusErrors, long SocketErrors, int StartIndex, int PerThread, int Threads)
{
    public double Rate => (Requests - StatusErrors - SocketErrors) / Seconds;

    /// <summary>CPU seconds the target process and PostgreSQL used during the run.</summary>
    public double ProcessCpuSeconds { get; init; }

    public double PostgresCpuSeconds { get; init; }

    public double ProcessCpuMsPerRequest => ProcessCpuSeconds * 1000 / Requests;

    public double PostgresCpuMsPerRequest => PostgresCpuSeconds * 1000 / Requests;

    /// <summary>Index after the busiest thread's last request, with a 10% margin for uneven threads.</summary>
    public int NextIndex => StartIndex + (int)Math.Ceiling(Requests * 1.1 / Threads);

    /// <summary>Requests that re-sent an issue already opened in this pool (new delivery id, same issue), 0 when the pool sufficed.</summary>
    public long Repeats => Math.Max(0, StartIndex + (Requests / Threads) - PerThread) * Threads;

    public static WrkResult Parse(string line, int startIndex, int perThread, int threads)
    {
        var fields = line[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new WrkResult(fields["requests"], fields["duration_us"] / 1e6, fields["p50_us"] / 1e3, fields["p99_us"] / 1e3, fields["max_us"] / 1e3,
            fields["status_errors"], fields["connect"] + fields["read"] + fields["write"] + fields["timeout"], startIndex, perThread, threads);
    }
}
