using System.Collections.Concurrent;

namespace Incidents.Simulators;

/// <summary>
/// Thread-safe in-memory store of the generic reference receiver (docs/generic-webhook.md, "Write-back"). Each
/// receiver is the path below <c>/generic/</c> (e.g. <c>/generic/transcripts</c> is receiver "transcripts") and has
/// its own secret, parts and files.
/// </summary>
public sealed class GenericState
{
    private readonly SimulatorOptions _options;
    private readonly List<GenericPart> _parts = [];
    private readonly List<GenericFile> _files = [];
    private readonly List<string> _posted = [];
    private readonly List<string> _targets = [];
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _nextId = 1;

    internal GenericState(SimulatorOptions options) => _options = options;

    internal Lock Gate { get; } = new();

    /// <summary>
    /// Models a receiver that changes what it stores (a ticket system that reformats comments): applied to every
    /// part body before it is stored. Null stores bodies byte for byte, as the contract requires.
    /// </summary>
    public Func<string, string>? AlterStoredBody { get; set; }

    /// <summary>Parts stored for one ticket at one receiver, oldest first.</summary>
    public IReadOnlyList<GenericPart> Parts(string receiver, string ticket)
    {
        lock (Gate)
        {
            return [.. _parts.Where(p => p.Receiver == receiver && p.Ticket == ticket)];
        }
    }

    /// <summary>Files stored for one ticket at one receiver, oldest first.</summary>
    public IReadOnlyList<GenericFile> Files(string receiver, string ticket)
    {
        lock (Gate)
        {
            return [.. _files.Where(f => f.Receiver == receiver && f.Ticket == ticket)];
        }
    }

    /// <summary>Every stored part at every receiver, oldest first.</summary>
    public IReadOnlyList<GenericPart> AllParts
    {
        get
        {
            lock (Gate)
            {
                return [.. _parts];
            }
        }
    }

    /// <summary>The raw JSON bodies of every accepted POST (parts and files), oldest first.</summary>
    public IReadOnlyList<string> PostedBodies
    {
        get
        {
            lock (Gate)
            {
                return [.. _posted];
            }
        }
    }

    /// <summary>Method and path (without the query) of every call that reached the receiver, e.g. "POST /generic/transcripts".</summary>
    public IReadOnlyList<string> RequestTargets
    {
        get
        {
            lock (Gate)
            {
                return [.. _targets];
            }
        }
    }

    /// <summary>Gives one receiver its own secret (the others use <see cref="SimulatorOptions.GenericSecret"/>).</summary>
    public void SetSecret(string receiver, string secret)
    {
        lock (Gate)
        {
            _secrets[receiver] = secret;
        }
    }

    /// <summary>Calls per endpoint: "post" (parts and files), "parts.list", "files.list", "files.read" (and "unknown").</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset()
    {
        lock (Gate)
        {
            _parts.Clear();
            _files.Clear();
            _posted.Clear();
            _targets.Clear();
            _secrets.Clear();
            _calls.Clear();
            _nextId = 1;
            AlterStoredBody = null;
        }
    }

    internal string Secret(string receiver) => _secrets.TryGetValue(receiver, out var secret) ? secret : _options.GenericSecret;

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal void Posted(string json) => _posted.Add(json);

    internal void Called(string target) => _targets.Add(target);

    internal GenericPart? PartByKey(string receiver, string key) => _parts.Find(p => p.Receiver == receiver && p.IdempotencyKey == key);

    internal GenericFile? FileByKey(string receiver, string key) => _files.Find(f => f.Receiver == receiver && f.IdempotencyKey == key);

    internal IEnumerable<GenericPart> PartsOf(string receiver, string ticket) => _parts.Where(p => p.Receiver == receiver && p.Ticket == ticket);

    internal IEnumerable<GenericFile> FilesOf(string receiver, string ticket) => _files.Where(f => f.Receiver == receiver && f.Ticket == ticket);

    internal GenericPart AddPart(string receiver, string ticket, string channel, int part, int parts, string transcriptSha256, string sha256, string body, string key)
    {
        var id = $"part-{_nextId++}";
        var stored = new GenericPart(id, receiver, ticket, channel, part, parts, transcriptSha256, sha256, AlterStoredBody?.Invoke(body) ?? body, key,
            Hosting.IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow()), Url(ticket, id));
        _parts.Add(stored);
        return stored;
    }

    internal GenericFile AddFile(string receiver, string ticket, string fileName, string contentType, string? description, byte[] content, string sha256, string key)
    {
        var id = $"file-{_nextId++}";
        var stored = new GenericFile(id, receiver, ticket, fileName, contentType, description, content, sha256, key,
            Hosting.IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow()), Url(ticket, id));
        _files.Add(stored);
        return stored;
    }

    private static string Url(string ticket, string id) => $"https://tickets.example.test/tickets/{Uri.EscapeDataString(ticket)}#{id}";
}
