using System.Collections.Concurrent;

namespace Incidents.Simulators;

/// <summary>Thread-safe in-memory issues, comments and attachments of the Jira simulator.</summary>
public sealed class JiraState
{
    private const long FirstId = 10_000;
    private readonly SimulatorOptions _options;
    private readonly List<JiraIssue> _issues = [];
    private readonly List<JiraComment> _comments = [];
    private readonly List<JiraAttachment> _attachments = [];
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _nextCommentId = FirstId;
    private long _nextAttachmentId = FirstId;

    internal JiraState(SimulatorOptions options) => _options = options;

    internal Lock Gate { get; } = new();

    internal SimulatorOptions Options => _options;

    /// <summary>accountId of the integration user the credentials belong to.</summary>
    public string BotAccountId => _options.JiraAccountId;

    /// <summary>Makes an issue exist (Jira answers 404 for any other); returns the existing one when the id is known.</summary>
    public JiraIssue AddIssue(string id, string key, string summary = "")
    {
        lock (Gate)
        {
            if (_issues.Find(i => i.Id == id) is { } existing)
            {
                return existing;
            }
            var issue = new JiraIssue(id, key, summary);
            _issues.Add(issue);
            return issue;
        }
    }

    /// <summary>Comments of one issue (by id or key), oldest first.</summary>
    public IReadOnlyList<JiraComment> Comments(string issueIdOrKey)
    {
        lock (Gate)
        {
            return Find(issueIdOrKey) is { } issue ? [.. _comments.Where(c => c.IssueId == issue.Id)] : [];
        }
    }

    /// <summary>Attachments of one issue (by id or key), oldest first.</summary>
    public IReadOnlyList<JiraAttachment> Attachments(string issueIdOrKey)
    {
        lock (Gate)
        {
            return Find(issueIdOrKey) is { } issue ? [.. _attachments.Where(a => a.IssueId == issue.Id)] : [];
        }
    }

    public IReadOnlyList<JiraComment> AllComments
    {
        get
        {
            lock (Gate)
            {
                return [.. _comments];
            }
        }
    }

    /// <summary>Adds a wiki-markup comment without HTTP, e.g. by a person.</summary>
    public JiraComment AddComment(string issueId, string wikiBody, string authorAccountId = "557058:person")
    {
        lock (Gate)
        {
            return CreateComment(issueId, isAdf: false, wikiBody, authorAccountId, visibility: null);
        }
    }

    /// <summary>Calls per endpoint: "issue.get", "comments.list", "comments.create", "comment.get", "attachments.create", "attachment.get", "attachment.content", "attachment.download".</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset()
    {
        lock (Gate)
        {
            _issues.Clear();
            _comments.Clear();
            _attachments.Clear();
            _calls.Clear();
            _nextCommentId = FirstId;
            _nextAttachmentId = FirstId;
        }
    }

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal JiraIssue? Find(string idOrKey) => _issues.Find(i => i.Id == idOrKey || string.Equals(i.Key, idOrKey, StringComparison.OrdinalIgnoreCase));

    internal IEnumerable<JiraComment> CommentsOf(JiraIssue issue) => _comments.Where(c => c.IssueId == issue.Id);

    internal JiraComment? Comment(JiraIssue issue, long id) => _comments.Find(c => c.IssueId == issue.Id && c.Id == id);

    internal IEnumerable<JiraAttachment> AttachmentsOf(JiraIssue issue) => _attachments.Where(a => a.IssueId == issue.Id);

    internal JiraAttachment? Attachment(long id) => _attachments.Find(a => a.Id == id);

    internal JiraComment CreateComment(string issueId, bool isAdf, string body, string author, string? visibility)
    {
        var comment = new JiraComment(_nextCommentId++, issueId, isAdf, body, author, Now(), visibility);
        _comments.Add(comment);
        return comment;
    }

    internal JiraAttachment CreateAttachment(string issueId, string fileName, string mimeType, byte[] content, string author)
    {
        var attachment = new JiraAttachment(_nextAttachmentId++, issueId, fileName, mimeType, content, author, Now());
        _attachments.Add(attachment);
        return attachment;
    }

    private DateTimeOffset Now() => Hosting.IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow());
}
