using System.Collections.Concurrent;
using System.Globalization;

namespace Incidents.Simulators;

/// <summary>
/// Thread-safe in-memory state of the GitLab simulator: notes and issue states per project issue, uploads per
/// project, the access tokens it accepts, and the instance settings tests may change (upload limit, notes rate
/// limit, object-storage downloads). Projects and issues exist as soon as they are named.
/// </summary>
public sealed class GitLabState
{
    public const string DefaultToken = "gitlab-token";
    public const string DefaultBotUsername = "incidents-bot";
    public const long DefaultMaxAttachmentBytes = 100L * 1024 * 1024;
    public const int DefaultNotesCreatePerMinute = 300;

    private const long FirstNoteId = 3_000_000_001;
    private readonly SimulatorOptions _options;
    private readonly List<GitLabNote> _notes = [];
    private readonly List<GitLabUpload> _uploads = [];
    private readonly Dictionary<(string Project, long Iid), string> _issueStates = [];
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _noteWindows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _nextNoteId = FirstNoteId;
    private long _nextUploadId = 1;
    private int _storageDownloadsWithCredentials;

    internal GitLabState(SimulatorOptions options)
    {
        _options = options;
        Reset();
    }

    internal Lock Gate { get; } = new();

    internal TimeProvider Time => _options.TimeProvider;

    /// <summary>Web address of the simulated instance (issue <c>web_url</c>s start with it).</summary>
    public string WebUrl { get; set; } = "https://gitlab.example.com";

    /// <summary>The instance's maximum attachment size; larger uploads answer 413.</summary>
    public long MaxAttachmentBytes { get; set; } = DefaultMaxAttachmentBytes;

    /// <summary>The notes-create rate limit per user and minute (GitLab's default 300); 0 turns it off.</summary>
    public int NotesCreatePerMinute { get; set; } = DefaultNotesCreatePerMinute;

    /// <summary>When true, downloads redirect to a presigned object-storage URL, like GitLab.com and most large instances.</summary>
    public bool DirectDownload { get; set; }

    /// <summary>Object-storage downloads that arrived with a GitLab credential (a token must never follow the redirect).</summary>
    public int StorageDownloadsWithCredentials => Volatile.Read(ref _storageDownloadsWithCredentials);

    /// <summary>Lets another token in, acting as <paramref name="username"/>.</summary>
    public void AddToken(string token, string username)
    {
        lock (Gate)
        {
            _tokens[token] = username;
        }
    }

    /// <summary>Notes of one issue, oldest first.</summary>
    public IReadOnlyList<GitLabNote> Notes(long projectId, long iid)
    {
        var project = Id(projectId);
        lock (Gate)
        {
            return _notes.Where(n => n.ProjectId == project && n.IssueIid == iid).ToArray();
        }
    }

    /// <summary>Adds a note without HTTP and without quick actions, e.g. by a human user or as a system note.</summary>
    public GitLabNote AddNote(long projectId, long iid, string body, string username, bool system = false, bool isInternal = false)
    {
        lock (Gate)
        {
            return CreateNote(Id(projectId), iid, body, username, system, isInternal);
        }
    }

    public IReadOnlyList<GitLabUpload> Uploads(long projectId)
    {
        var project = Id(projectId);
        lock (Gate)
        {
            return _uploads.Where(u => u.ProjectId == project).ToArray();
        }
    }

    /// <summary>"opened" or "closed" (changed only by /close and /reopen quick actions here).</summary>
    public string IssueState(long projectId, long iid)
    {
        lock (Gate)
        {
            return IssueStateOf(Id(projectId), iid);
        }
    }

    /// <summary>Calls per endpoint: "notes.list", "notes.create", "notes.get", "issues.get", "uploads.create", "uploads.download", "storage.download", "unknown".</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset()
    {
        lock (Gate)
        {
            _notes.Clear();
            _uploads.Clear();
            _issueStates.Clear();
            _noteWindows.Clear();
            _tokens.Clear();
            _tokens[DefaultToken] = DefaultBotUsername;
            _calls.Clear();
            _nextNoteId = FirstNoteId;
            _nextUploadId = 1;
            _storageDownloadsWithCredentials = 0;
            WebUrl = "https://gitlab.example.com";
            MaxAttachmentBytes = DefaultMaxAttachmentBytes;
            NotesCreatePerMinute = DefaultNotesCreatePerMinute;
            DirectDownload = false;
        }
    }

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal void CountStorageDownloadWithCredentials() => Interlocked.Increment(ref _storageDownloadsWithCredentials);

    internal string? UserOf(string token) => _tokens.GetValueOrDefault(token);

    internal IEnumerable<GitLabNote> IssueNotes(string project, long iid) => _notes.Where(n => n.ProjectId == project && n.IssueIid == iid);

    internal GitLabNote CreateNote(string project, long iid, string body, string username, bool system, bool isInternal)
    {
        var now = Hosting.IsoTime.TruncateToMillis(Time.GetUtcNow());
        var note = new GitLabNote(_nextNoteId++, project, iid, body, username, system, isInternal, now, now);
        _notes.Add(note);
        return note;
    }

    /// <summary>Counts a note creation against the user's minute; the time until the window ends when over the limit.</summary>
    internal TimeSpan? NoteCreateLimited(string username)
    {
        if (NotesCreatePerMinute <= 0)
        {
            return null;
        }
        var now = Time.GetUtcNow();
        var (start, count) = _noteWindows.TryGetValue(username, out var window) && now - window.Start < TimeSpan.FromMinutes(1) ? window : (now, 0);
        if (count >= NotesCreatePerMinute)
        {
            return start.AddMinutes(1) - now;
        }
        _noteWindows[username] = (start, count + 1);
        return null;
    }

    internal string IssueStateOf(string project, long iid) => _issueStates.GetValueOrDefault((project, iid), "opened");

    internal void SetIssueState(string project, long iid, string state) => _issueStates[(project, iid)] = state;

    internal GitLabUpload AddUpload(string project, string fileName, string contentType, byte[] content, string username)
    {
        var upload = new GitLabUpload(_nextUploadId++, project, Guid.NewGuid().ToString("N"), fileName, contentType, content, username,
            Hosting.IsoTime.TruncateToMillis(Time.GetUtcNow()));
        _uploads.Add(upload);
        return upload;
    }

    internal GitLabUpload? FindUpload(string project, string secret, string fileName) =>
        _uploads.Find(u => u.ProjectId == project && u.Secret == secret && u.FileName == fileName);

    internal GitLabUpload? FindUpload(string secret, string fileName) => _uploads.Find(u => u.Secret == secret && u.FileName == fileName);

    private static string Id(long projectId) => projectId.ToString(CultureInfo.InvariantCulture);
}
