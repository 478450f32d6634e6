using System.Collections.Concurrent;

namespace Incidents.Simulators;

/// <summary>Thread-safe in-memory issue comments of the GitHub simulator.</summary>
public sealed class GitHubState
{
    private const long FirstCommentId = 2_000_000_001;
    private readonly SimulatorOptions _options;
    private readonly List<GitHubComment> _comments = [];
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _nextId = FirstCommentId;

    internal GitHubState(SimulatorOptions options) => _options = options;

    internal Lock Gate { get; } = new();

    /// <summary>Login of the token's user ("incidents-bot" by default).</summary>
    public string BotLogin => _options.GitHubBotLogin;

    /// <summary>Comments of one issue, oldest first.</summary>
    public IReadOnlyList<GitHubComment> Comments(string owner, string repo, int number)
    {
        lock (Gate)
        {
            return _comments.Where(c => Matches(c, owner, repo, number)).ToArray();
        }
    }

    /// <summary>Every comment in every repository, oldest first.</summary>
    public IReadOnlyList<GitHubComment> AllComments
    {
        get
        {
            lock (Gate)
            {
                return _comments.ToArray();
            }
        }
    }

    /// <summary>Adds a comment without HTTP, e.g. by a human user.</summary>
    public GitHubComment AddComment(string owner, string repo, int number, string body, string? userLogin = null)
    {
        lock (Gate)
        {
            return Create(owner, repo, number, body, userLogin ?? BotLogin);
        }
    }

    /// <summary>Calls per endpoint: "comments.create", "comments.list", "comments.get", "comments.update", "comments.delete" (and "unknown").</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset()
    {
        lock (Gate)
        {
            _comments.Clear();
            _calls.Clear();
            _nextId = FirstCommentId;
        }
    }

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    internal GitHubComment Create(string owner, string repo, int number, string body, string login)
    {
        var now = Hosting.IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow());
        var id = _nextId++;
        var comment = new GitHubComment(
            id,
            "IC_kwDO" + Convert.ToBase64String(BitConverter.GetBytes(id)).TrimEnd('='),
            owner,
            repo,
            number,
            body,
            login,
            now,
            now,
            $"https://github.com/{owner}/{repo}/issues/{number}#issuecomment-{id}");
        _comments.Add(comment);
        return comment;
    }

    internal GitHubComment? Find(string owner, string repo, long id) =>
        _comments.Find(c => c.Id == id && string.Equals(c.Owner, owner, StringComparison.OrdinalIgnoreCase) && string.Equals(c.Repo, repo, StringComparison.OrdinalIgnoreCase));

    internal GitHubComment Update(GitHubComment comment, string body)
    {
        var updated = comment with { Body = body, UpdatedAt = Hosting.IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow()) };
        _comments[_comments.IndexOf(comment)] = updated;
        return updated;
    }

    internal void Delete(GitHubComment comment) => _comments.Remove(comment);

    internal IEnumerable<GitHubComment> Issue(string owner, string repo, int number) =>
        _comments.Where(c => Matches(c, owner, repo, number));

    private static bool Matches(GitHubComment c, string owner, string repo, int number) =>
        c.IssueNumber == number
        && string.Equals(c.Owner, owner, StringComparison.OrdinalIgnoreCase)
        && string.Equals(c.Repo, repo, StringComparison.OrdinalIgnoreCase);
}
