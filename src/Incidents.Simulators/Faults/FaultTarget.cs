using Incidents.Simulators.Faults;

namespace Incidents.Simulators;

/// <summary>Fault switches of one simulated system. All members are thread-safe.</summary>
public sealed class FaultTarget
{
    private readonly Lock _gate = new();
    private Random _random = new(0);
    private int _seed;
    private bool _down;
    private string _downMode = "503";
    private double _errorRate;
    private int _latencyMs;
    private int _tooManyRequests;
    private int _retryAfterSeconds = 60;
    private int _failAfterCommit;

    internal FaultTarget(string name) => Name = name;

    public string Name { get; }

    /// <summary>Every call fails: 503, or hangs until aborted when <see cref="DownMode"/> is "timeout".</summary>
    public bool Down { get => Read(() => _down); set => Write(() => _down = value); }

    /// <summary>"503" (default) or "timeout".</summary>
    public string DownMode { get => Read(() => _downMode); set => Write(() => _downMode = value); }

    /// <summary>Fraction (0..1) of calls answering 500, deterministic for a given <see cref="Seed"/>.</summary>
    public double ErrorRate { get => Read(() => _errorRate); set => Write(() => _errorRate = Math.Clamp(value, 0, 1)); }

    /// <summary>Seed of the error-rate sequence; setting it restarts the sequence.</summary>
    public int Seed
    {
        get => Read(() => _seed);
        set => Write(() =>
        {
            _seed = value;
            _random = new Random(value);
        });
    }

    /// <summary>Real-clock latency added to every call.</summary>
    public int LatencyMs { get => Read(() => _latencyMs); set => Write(() => _latencyMs = Math.Max(0, value)); }

    /// <summary>The next N calls answer 429.</summary>
    public int TooManyRequests { get => Read(() => _tooManyRequests); set => Write(() => _tooManyRequests = Math.Max(0, value)); }

    /// <summary>Wait announced by fault 429s.</summary>
    public int RetryAfterSeconds { get => Read(() => _retryAfterSeconds); set => Write(() => _retryAfterSeconds = Math.Max(0, value)); }

    /// <summary>The next N successful mutating calls keep their effect but answer 500.</summary>
    public int FailAfterCommit { get => Read(() => _failAfterCommit); set => Write(() => _failAfterCommit = Math.Max(0, value)); }

    public void Reset()
    {
        lock (_gate)
        {
            _down = false;
            _downMode = "503";
            _errorRate = 0;
            _seed = 0;
            _random = new Random(0);
            _latencyMs = 0;
            _tooManyRequests = 0;
            _retryAfterSeconds = 60;
            _failAfterCommit = 0;
        }
    }

    internal FaultDecision Decide()
    {
        lock (_gate)
        {
            if (_down)
            {
                return new FaultDecision(_latencyMs, string.Equals(_downMode, "timeout", StringComparison.OrdinalIgnoreCase) ? FaultKind.Hang : FaultKind.Unavailable, 0);
            }

            if (_tooManyRequests > 0)
            {
                _tooManyRequests--;
                return new FaultDecision(_latencyMs, FaultKind.TooManyRequests, _retryAfterSeconds);
            }

            if (_errorRate > 0 && _random.NextDouble() < _errorRate)
            {
                return new FaultDecision(_latencyMs, FaultKind.ServerError, 0);
            }

            return new FaultDecision(_latencyMs, FaultKind.None, 0);
        }
    }

    internal bool ConsumeFailAfterCommit()
    {
        lock (_gate)
        {
            if (_failAfterCommit <= 0)
            {
                return false;
            }

            _failAfterCommit--;
            return true;
        }
    }

    internal FaultSettings ToSettings()
    {
        lock (_gate)
        {
            return new FaultSettings
            {
                Down = _down,
                DownMode = _downMode,
                ErrorRate = _errorRate,
                Seed = _seed,
                LatencyMs = _latencyMs,
                TooManyRequests = _tooManyRequests,
                RetryAfterSeconds = _retryAfterSeconds,
                FailAfterCommit = _failAfterCommit,
            };
        }
    }

    internal void Apply(FaultSettings settings)
    {
        if (settings.Down is { } down) { Down = down; }
        if (settings.DownMode is { } mode) { DownMode = mode; }
        if (settings.Seed is { } seed) { Seed = seed; }
        if (settings.ErrorRate is { } rate) { ErrorRate = rate; }
        if (settings.LatencyMs is { } latency) { LatencyMs = latency; }
        if (settings.TooManyRequests is { } tooMany) { TooManyRequests = tooMany; }
        if (settings.RetryAfterSeconds is { } retry) { RetryAfterSeconds = retry; }
        if (settings.FailAfterCommit is { } fail) { FailAfterCommit = fail; }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private void Write(Action write)
    {
        lock (_gate)
        {
            write();
        }
    }
}
