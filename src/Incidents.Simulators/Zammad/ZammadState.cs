using System.Collections.Concurrent;

namespace Incidents.Simulators;

/// <summary>An article as the Zammad simulator stores it (the body after the sanitizer, for HTML bodies).</summary>
public sealed record ZammadArticle(
    long Id,
    long TicketId,
    string Type,
    string Sender,
    string? Subject,
    string Body,
    string ContentType,
    bool Internal,
    long CreatedById,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ZammadAttachment> Attachments);

/// <summary>A stored attachment (Zammad's Store): its bytes and the preferences Zammad keeps.</summary>
public sealed record ZammadAttachment(long Id, string FileName, string MimeType, byte[] Data);

/// <summary>Thread-safe in-memory tickets and articles of the Zammad simulator.</summary>
public sealed class ZammadState
{
    private const long FirstArticleId = 1001;
    private const long FirstAttachmentId = 5001;
    private readonly SimulatorOptions _options;
    private readonly HashSet<long> _tickets = [];
    private readonly List<ZammadArticle> _articles = [];
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _nextArticleId = FirstArticleId;
    private long _nextAttachmentId = FirstAttachmentId;

    internal ZammadState(SimulatorOptions options) => _options = options;

    internal Lock Gate { get; } = new();

    /// <summary>Login of the token's user (the integration user).</summary>
    public string BotLogin => _options.ZammadBotLogin;

    public long BotUserId => _options.ZammadBotUserId;

    /// <summary>Creates a ticket (Zammad answers 404 for articles of tickets that do not exist).</summary>
    public void AddTicket(long ticketId)
    {
        lock (Gate)
        {
            _tickets.Add(ticketId);
        }
    }

    public bool HasTicket(long ticketId)
    {
        lock (Gate)
        {
            return _tickets.Contains(ticketId);
        }
    }

    /// <summary>Articles of one ticket, oldest first.</summary>
    public IReadOnlyList<ZammadArticle> Articles(long ticketId)
    {
        lock (Gate)
        {
            return _articles.Where(a => a.TicketId == ticketId).ToArray();
        }
    }

    /// <summary>Every article of every ticket, oldest first.</summary>
    public IReadOnlyList<ZammadArticle> AllArticles
    {
        get
        {
            lock (Gate)
            {
                return _articles.ToArray();
            }
        }
    }

    /// <summary>Adds an article without HTTP (e.g. an agent's note); the body is stored as Zammad would store it.</summary>
    public ZammadArticle AddArticle(long ticketId, string body, string contentType = "text/html", string createdBy = "agent@example.com", long createdById = 2, bool isInternal = false)
    {
        lock (Gate)
        {
            _tickets.Add(ticketId);
            return Create(ticketId, "note", "Agent", null, Store(body, contentType), contentType, isInternal, createdById, createdBy, []);
        }
    }

    /// <summary>Calls per endpoint: "articles.create", "articles.by_ticket", "articles.get", "attachment.get" (and "unknown").</summary>
    public int CallCount(string endpoint) => _calls.TryGetValue(endpoint, out var count) ? count : 0;

    public int TotalCalls => _calls.Values.Sum();

    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset()
    {
        lock (Gate)
        {
            _tickets.Clear();
            _articles.Clear();
            _calls.Clear();
            _nextArticleId = FirstArticleId;
            _nextAttachmentId = FirstAttachmentId;
        }
    }

    /// <summary>"{http_type}://{fqdn}/#" of the simulated instance, which the sanitizer uses for web-app links.</summary>
    internal string WebAppPrefix { get; set; } = "http://127.0.0.1/zammad/#";

    internal void CountCall(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, count) => count + 1);

    /// <summary>What Zammad saves as the body: HTML goes through HtmlSanitizer.strict, other content types stay as sent.</summary>
    internal string Store(string body, string contentType) =>
        contentType.Contains("html", StringComparison.OrdinalIgnoreCase) ? Zammad.ZammadSanitizer.Sanitize(body, WebAppPrefix) : body;

    internal ZammadArticle Create(long ticketId, string type, string sender, string? subject, string body, string contentType, bool isInternal,
        long createdById, string createdBy, IReadOnlyList<(string FileName, string MimeType, byte[] Data)> files)
    {
        var now = Hosting.IsoTime.TruncateToMillis(_options.TimeProvider.GetUtcNow());
        var attachments = files.Select(f => new ZammadAttachment(_nextAttachmentId++, f.FileName, f.MimeType, f.Data)).ToArray();
        var article = new ZammadArticle(_nextArticleId++, ticketId, type, sender, subject, body, contentType, isInternal, createdById, createdBy, now, attachments);
        _articles.Add(article);
        return article;
    }

    internal ZammadArticle? Find(long articleId) => _articles.FirstOrDefault(a => a.Id == articleId);
}
