using System.Collections.Concurrent;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators;

/// <summary>Thread-safe in-memory state of the Rocket.Chat simulator.</summary>
public sealed partial class RocketChatState
{
    private const string IdAlphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
    private readonly SimulatorOptions _options;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private Random _random = new(4711);
    private long _sequence;

    internal RocketChatState(SimulatorOptions options)
    {
        _options = options;
        Seed();
    }

    internal Lock Gate { get; } = new();

    internal SimulatorOptions Options => _options;

    /// <summary>The seeded service account (role <c>bot</c>).</summary>
    public SimUser Bot
    {
        get
        {
            lock (Gate)
            {
                return _usersById[_options.BotUserId].ToSnapshot();
            }
        }
    }

    /// <summary>Number of calls received for an endpoint, e.g. "channels.history" or "file-upload" (faulted calls included).</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    /// <summary>Total number of calls received by the Rocket.Chat simulator.</summary>
    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    /// <summary>Drops all rooms, messages, files, users (except the bot) and counters.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            _calls.Clear();
            Seed();
        }
    }

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal DateTimeOffset Now() => IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow());

    internal long NextSequence() => ++_sequence;

    internal string NewId()
    {
        Span<char> chars = stackalloc char[17];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = IdAlphabet[_random.Next(IdAlphabet.Length)];
        }

        return new string(chars);
    }

    internal string NewHexId()
    {
        Span<byte> bytes = stackalloc byte[12];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private void Seed()
    {
        _random = new Random(4711);
        _sequence = 0;
        _usersById.Clear();
        _usersByName.Clear();
        _rooms.Clear();
        _messages.Clear();
        _uploads.Clear();
        AddUserRecord(_options.BotUserId, _options.BotUsername, "Incidents Bot", _options.BotToken, ["bot"]);
    }
}
