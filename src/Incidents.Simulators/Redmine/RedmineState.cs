using System.Collections.Concurrent;
using System.Globalization;

namespace Incidents.Simulators;

/// <summary>
/// Thread-safe in-memory Redmine of the simulator: users with API keys, projects, Redmine's default statuses, issues
/// with journals (notes stored exactly as sent, descriptions with CRLF line endings like Redmine's), uploads and
/// attachments. Tests change issues here as people would in Redmine's UI and read back what the service wrote.
/// </summary>
public sealed class RedmineState
{
    private static readonly RedmineSimStatus[] DefaultStatuses =
    [
        new(1, "New", false), new(2, "In Progress", false), new(3, "Resolved", false), new(4, "Feedback", false),
        new(5, "Closed", true), new(6, "Rejected", true),
    ];

    private readonly SimulatorOptions _options;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly List<RedmineSimUser> _users = [];
    private readonly List<RedmineSimProject> _projects = [];
    private readonly Dictionary<long, RedmineIssueRecord> _issues = [];
    private readonly Dictionary<long, RedmineAttachmentRecord> _attachments = [];
    private readonly Dictionary<string, RedmineUploadRecord> _uploads = new(StringComparer.Ordinal);
    private Random _random = new(5120);
    private long _nextIssue;
    private long _nextJournal;
    private long _nextAttachment;
    private long _nextUpload;
    private long _nextUser;
    private int _writesWithoutSkip;

    internal RedmineState(SimulatorOptions options)
    {
        _options = options;
        Seed();
    }

    internal Lock Gate { get; } = new();

    internal SimulatorOptions Options => _options;

    /// <summary>The integration user whose key is <see cref="SimulatorOptions.RedmineApiKey"/>.</summary>
    public RedmineSimUser Bot { get; private set; } = null!;

    /// <summary>Redmine's administrator (a person).</summary>
    public RedmineSimUser Admin { get; private set; } = null!;

    /// <summary>The project issues go into unless another is named ("incidents", id 1).</summary>
    public RedmineSimProject DefaultProject { get; private set; } = null!;

    public IReadOnlyList<RedmineSimStatus> Statuses => DefaultStatuses;

    /// <summary>Mutating calls made with the bot's key that lacked <c>X-Skip-Webhooks</c> (the service must send it on every write).</summary>
    public int WritesWithoutSkipWebhooks => Volatile.Read(ref _writesWithoutSkip);

    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public IReadOnlyList<RedmineIssueSnapshot> Issues
    {
        get
        {
            lock (Gate)
            {
                return [.. _issues.Values.OrderBy(i => i.Id).Select(i => i.ToSnapshot())];
            }
        }
    }

    /// <summary>Adds a person (or another integration user, with a known <paramref name="apiKey"/>).</summary>
    public RedmineSimUser AddUser(string login, string firstName, string lastName, string? apiKey = null)
    {
        lock (Gate)
        {
            var user = new RedmineSimUser(++_nextUser, login, firstName, lastName, apiKey ?? Convert.ToHexStringLower(RandomBytes(20)), false);
            _users.Add(user);
            return user;
        }
    }

    public RedmineSimProject AddProject(string identifier, string name)
    {
        lock (Gate)
        {
            var project = new RedmineSimProject(_projects.Count + 1, identifier, name);
            _projects.Add(project);
            return project;
        }
    }

    /// <summary>Creates an issue as <paramref name="author"/> (the administrator by default), now.</summary>
    public RedmineIssueSnapshot CreateIssue(string subject, string? description = null, RedmineSimUser? author = null, string? project = null, int statusId = 1)
    {
        lock (Gate)
        {
            var target = project is null ? DefaultProject : FindProject(project) ?? throw new ArgumentException($"no project '{project}'", nameof(project));
            return Create(target, subject, description, author ?? Admin, statusId).ToSnapshot();
        }
    }

    /// <summary>
    /// Changes an issue as <paramref name="user"/> would in the UI: notes, status, subject. <paramref name="at"/> stamps the
    /// change (default now), e.g. earlier than changes already visible, like a transaction that commits late.
    /// Returns the journal, or null when nothing changed.
    /// </summary>
    public RedmineJournalSnapshot? UpdateIssue(long issueId, RedmineSimUser user, string? notes = null, int? statusId = null, string? subject = null,
        bool privateNotes = false, DateTimeOffset? at = null)
    {
        lock (Gate)
        {
            var issue = Find(issueId) ?? throw new ArgumentException($"no issue {issueId}", nameof(issueId));
            return Update(issue, user, new RedmineChange(notes, privateNotes, statusId, subject, null, []), at);
        }
    }

    public RedmineIssueSnapshot? Issue(long id)
    {
        lock (Gate)
        {
            return Find(id)?.ToSnapshot();
        }
    }

    /// <summary>The issue's journals, oldest first.</summary>
    public IReadOnlyList<RedmineJournalSnapshot> Journals(long issueId)
    {
        lock (Gate)
        {
            return Find(issueId) is { } issue ? [.. issue.Journals] : [];
        }
    }

    public IReadOnlyList<RedmineAttachmentSnapshot> Attachments(long issueId)
    {
        lock (Gate)
        {
            return Find(issueId) is { } issue ? [.. issue.AttachmentIds.Select(id => _attachments[id].ToSnapshot())] : [];
        }
    }

    public byte[]? AttachmentContent(long attachmentId)
    {
        lock (Gate)
        {
            return _attachments.TryGetValue(attachmentId, out var a) ? [.. a.Content] : null;
        }
    }

    /// <summary>Back to the seeded state: administrator, bot, project "incidents", no issues, no counters.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Seed();
        }
    }

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal void CountWriteWithoutSkip() => Interlocked.Increment(ref _writesWithoutSkip);

    internal RedmineSimUser? UserByKey(string? key) =>
        string.IsNullOrEmpty(key) ? null : _users.Find(u => string.Equals(u.ApiKey, key, StringComparison.Ordinal));

    internal RedmineSimUser? User(long id) => _users.Find(u => u.Id == id);

    internal RedmineSimProject? FindProject(string idOrIdentifier) =>
        _projects.Find(p => p.Identifier == idOrIdentifier || p.Id.ToString(CultureInfo.InvariantCulture) == idOrIdentifier);

    internal RedmineSimProject Project(long id) => _projects.Single(p => p.Id == id);

    internal RedmineSimStatus? Status(int id) => Array.Find(DefaultStatuses, s => s.Id == id);

    internal RedmineIssueRecord? Find(long id) => _issues.GetValueOrDefault(id);

    internal IEnumerable<RedmineIssueRecord> AllIssues => _issues.Values;

    internal RedmineAttachmentRecord? Attachment(long id) => _attachments.GetValueOrDefault(id);

    internal RedmineIssueRecord Create(RedmineSimProject project, string subject, string? description, RedmineSimUser author, int statusId)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var issue = new RedmineIssueRecord
        {
            Id = ++_nextIssue,
            ProjectId = project.Id,
            Subject = subject,
            Description = Crlf(description),
            StatusId = statusId,
            AuthorId = author.Id,
            CreatedOn = now,
            UpdatedOn = now,
            ClosedOn = Status(statusId)?.IsClosed == true ? now : null,
        };
        _issues[issue.Id] = issue;
        return issue;
    }

    /// <summary>Applies a change; null when nothing changed. Throws <see cref="ArgumentException"/> for an unknown upload token.</summary>
    internal RedmineJournalSnapshot? Update(RedmineIssueRecord issue, RedmineSimUser user, RedmineChange change, DateTimeOffset? at = null)
    {
        var uploads = change.UploadTokens.Select(t => _uploads.TryGetValue(t.Token, out var u) ? (t, u) : throw new ArgumentException("1 file(s) could not be saved.")).ToList();
        var now = at ?? _options.TimeProvider.GetUtcNow();
        var details = new List<RedmineDetailSnapshot>();
        if (change.Subject is { } subject && subject != issue.Subject)
        {
            details.Add(new("attr", "subject", issue.Subject, subject));
            issue.Subject = subject;
        }
        if (change.Description is { } description && Crlf(description) != issue.Description)
        {
            details.Add(new("attr", "description", issue.Description, Crlf(description)));
            issue.Description = Crlf(description);
        }
        if (change.StatusId is { } statusId && statusId != issue.StatusId)
        {
            details.Add(new("attr", "status_id", issue.StatusId.ToString(CultureInfo.InvariantCulture), statusId.ToString(CultureInfo.InvariantCulture)));
            issue.StatusId = statusId;
            if (Status(statusId)?.IsClosed == true)
            {
                issue.ClosedOn = now;
            }
        }
        foreach (var (token, upload) in uploads)
        {
            var attachment = new RedmineAttachmentRecord(++_nextAttachment, token.FileName ?? upload.FileName, token.ContentType ?? "application/octet-stream",
                token.Description ?? "", upload.Content, user.Id, now) { IssueId = issue.Id };
            _attachments[attachment.Id] = attachment;
            issue.AttachmentIds.Add(attachment.Id);
            _uploads.Remove(token.Token);
            details.Add(new("attachment", attachment.Id.ToString(CultureInfo.InvariantCulture), null, attachment.FileName));
        }
        var notes = change.Notes ?? "";
        if (notes.Length == 0 && details.Count == 0)
        {
            return null;
        }
        var journal = new RedmineJournalSnapshot(++_nextJournal, issue.Id, user.Id, notes, change.PrivateNotes && notes.Length > 0, now, details);
        issue.Journals.Add(journal);
        issue.UpdatedOn = now;
        return journal;
    }

    internal RedmineUploadRecord AddUpload(RedmineSimUser user, string fileName, byte[] content)
    {
        var id = ++_nextUpload;
        var upload = new RedmineUploadRecord(id, $"{id}.{Convert.ToHexStringLower(RandomBytes(32))}", fileName, content, user.Id);
        _uploads[upload.Token] = upload;
        return upload;
    }

    /// <summary>Redmine stores descriptions with CRLF line endings whatever was sent (notes are kept as sent).</summary>
    private static string? Crlf(string? text) => text?.ReplaceLineEndings("\r\n");

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private void Seed()
    {
        _calls.Clear();
        _users.Clear();
        _projects.Clear();
        _issues.Clear();
        _attachments.Clear();
        _uploads.Clear();
        _random = new Random(5120);
        (_nextIssue, _nextJournal, _nextAttachment, _nextUpload, _nextUser, _writesWithoutSkip) = (0, 0, 0, 0, 0, 0);
        Admin = new RedmineSimUser(++_nextUser, "admin", "Redmine", "Admin", Convert.ToHexStringLower(RandomBytes(20)), true);
        _nextUser = 4; // Redmine's own rows (anonymous, groups) take the next ids
        Bot = new RedmineSimUser(++_nextUser, "incidents-bot", "Incidents", "Bot", _options.RedmineApiKey, false);
        _users.AddRange([Admin, Bot]);
        DefaultProject = new RedmineSimProject(1, "incidents", "Incidents");
        _projects.Add(DefaultProject);
    }
}

/// <summary>What a PUT /issues/{id}.json (or a person in the UI) changes.</summary>
internal sealed record RedmineChange(string? Notes, bool PrivateNotes, int? StatusId, string? Subject, string? Description, IReadOnlyList<RedmineUploadToken> UploadTokens);

internal sealed record RedmineUploadToken(string Token, string? FileName, string? ContentType, string? Description);
