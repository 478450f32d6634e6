using System.Collections.Concurrent;

namespace Incidents.Simulators;

/// <summary>
/// Thread-safe in-memory state of the PagerDuty simulator: one account with its users, API keys, incidents and their
/// notes. Incidents exist only once a test creates them (notes on any other id answer 404, like PagerDuty).
/// </summary>
public sealed class PagerDutyState
{
    /// <summary>PagerDuty's documented cap on notes per incident.</summary>
    public const int MaxNotesPerIncident = 2000;

    public const string DefaultApiKey = "pagerduty-api-key";

    private const string Base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private readonly SimulatorOptions _options;
    private readonly Dictionary<string, List<PagerDutyNote>> _incidents = new(StringComparer.Ordinal);
    private readonly List<PagerDutyUser> _users = [];
    private readonly HashSet<string> _apiKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private int _nextNote;

    internal PagerDutyState(SimulatorOptions options)
    {
        _options = options;
        Reset();
    }

    internal Lock Gate { get; } = new();

    internal TimeProvider Time => _options.TimeProvider;

    /// <summary>The user the service writes as (its e-mail goes in the From header, its id is the integration user id).</summary>
    public PagerDutyUser Bot { get; } = new("PINCBOT", "Incidents Bot", "incidents-bot@example.com");

    /// <summary>Web address of the account (users' and incidents' <c>html_url</c>), not the API.</summary>
    public string WebUrl { get; set; } = "https://acme.pagerduty.com";

    /// <summary>Longest note content accepted, in code points. PagerDuty documents no limit; this is the adapter's default.</summary>
    public int MaxNoteLength { get; set; } = 25_000;

    /// <summary>Requests per minute and API key (PagerDuty's documented REST limit is 960).</summary>
    public int RateLimitPerMinute { get; set; } = 960;

    public IReadOnlyList<PagerDutyUser> Users
    {
        get
        {
            lock (Gate)
            {
                return [.. _users];
            }
        }
    }

    /// <summary>Makes an incident exist (notes can be added to it); returns its id.</summary>
    public string CreateIncident(string id)
    {
        lock (Gate)
        {
            _incidents.TryAdd(id, []);
            return id;
        }
    }

    /// <summary>Notes of one incident, oldest first (empty when the incident does not exist).</summary>
    public IReadOnlyList<PagerDutyNote> Notes(string incidentId)
    {
        lock (Gate)
        {
            return _incidents.TryGetValue(incidentId, out var notes) ? [.. notes] : [];
        }
    }

    /// <summary>Every note of every incident, oldest first.</summary>
    public IReadOnlyList<PagerDutyNote> AllNotes
    {
        get
        {
            lock (Gate)
            {
                return [.. _incidents.Values.SelectMany(n => n).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Adds a note without HTTP, e.g. by a responder in the web UI.</summary>
    public PagerDutyNote AddNote(string incidentId, string content, string? userId = null)
    {
        lock (Gate)
        {
            CreateIncident(incidentId);
            return Create(incidentId, content, userId ?? Bot.Id);
        }
    }

    public PagerDutyUser AddUser(string id, string name, string email)
    {
        lock (Gate)
        {
            var user = new PagerDutyUser(id, name, email);
            _users.Add(user);
            return user;
        }
    }

    /// <summary>Another valid REST API key of the account (e.g. for a second instance of the service).</summary>
    public void AddApiKey(string key)
    {
        lock (Gate)
        {
            _apiKeys.Add(key);
        }
    }

    /// <summary>Calls per endpoint: "notes.list", "notes.create" (and "unknown").</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset()
    {
        lock (Gate)
        {
            _incidents.Clear();
            _users.Clear();
            _users.Add(Bot);
            _apiKeys.Clear();
            _apiKeys.Add(DefaultApiKey);
            _calls.Clear();
            _nextNote = 0;
            WebUrl = "https://acme.pagerduty.com";
            MaxNoteLength = 25_000;
            RateLimitPerMinute = 960;
        }
    }

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal bool IsApiKey(string key) => _apiKeys.Contains(key);

    internal PagerDutyUser? UserByEmail(string email) => _users.Find(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));

    internal PagerDutyUser? UserById(string id) => _users.Find(u => u.Id == id);

    internal List<PagerDutyNote>? IncidentNotes(string incidentId) => _incidents.GetValueOrDefault(incidentId);

    internal PagerDutyNote Create(string incidentId, string content, string userId)
    {
        var number = ++_nextNote;
        var id = new char[6];
        for (var i = id.Length - 1; i >= 0; i--, number /= 36)
        {
            id[i] = Base36[number % 36];
        }
        var note = new PagerDutyNote("N" + new string(id), incidentId, userId, content, Hosting.IsoTime.TruncateToMillis(Time.GetUtcNow()));
        _incidents[incidentId].Add(note);
        return note;
    }

    internal string UserName(string userId) => UserById(userId)?.Name ?? userId;
}
