namespace Incidents.Simulators.RocketChat;

/// <summary>
/// Meteor rate-limit semantics: one fixed-window rule per route+method, counters keyed by client IP,
/// increment first, then check (allowed while count &lt;= limit).
/// </summary>
internal sealed class RcRateLimiter(TimeProvider time, int limit, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Rule> _rules = new(StringComparer.Ordinal);
    private DateTimeOffset _epoch = time.GetUtcNow();

    public int Limit => limit;

    public void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _epoch = time.GetUtcNow();
        }
    }

    public RateDecision Hit(string route, string method, string clientIp)
    {
        var now = time.GetUtcNow();
        var windowMs = (long)window.TotalMilliseconds;
        lock (_gate)
        {
            var key = $"{method} {route}";
            if (!_rules.TryGetValue(key, out var rule))
            {
                rule = new Rule { LastReset = _epoch };
                _rules[key] = rule;
            }

            if ((now - rule.LastReset).TotalMilliseconds > windowMs)
            {
                rule.Reset(now);
            }

            var count = rule.Counters.GetValueOrDefault(clientIp) + 1;
            rule.Counters[clientIp] = count;
            var timeToReset = windowMs - (long)(now - rule.LastReset).TotalMilliseconds;
            var resetAt = now.ToUnixTimeMilliseconds() + timeToReset;
            return count > limit
                ? new RateDecision(false, limit, 0, resetAt, timeToReset)
                : new RateDecision(true, limit, limit - count, resetAt, timeToReset);
        }
    }

    private sealed class Rule
    {
        public DateTimeOffset LastReset { get; set; }

        public Dictionary<string, int> Counters { get; } = new(StringComparer.Ordinal);

        public void Reset(DateTimeOffset now)
        {
            Counters.Clear();
            LastReset = now;
        }
    }
}
