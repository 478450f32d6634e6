using Incidents.Lifecycle;

namespace Incidents.UnitTests.Lifecycle;

public sealed class RetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly OutboxOptions Options = new() { MaxFailures = 4, BackoffBase = TimeSpan.FromSeconds(2), BackoffMax = TimeSpan.FromSeconds(60) };

    private static OutboxMessage Row(int failures) => new() { Kind = "open-channel", Failures = failures };

    [Fact]
    public void After_RateLimited_WaitsUntilTheResetWithoutCountingAFailure()
    {
        var reset = Now.AddSeconds(37);
        var decision = Retry.After(Row(3), new ExternalCallException("rocketchat", "429", 429, reset), Now, Options);
        Assert.Equal(new Retry.Decision(3, reset, Dead: false), decision);
    }

    [Fact]
    public void After_Failure_BacksOffExponentiallyWithJitterWithinBounds()
    {
        var random = new Random(7);
        for (var failures = 0; failures < 3; failures++)
        {
            var decision = Retry.After(Row(failures), new InvalidOperationException("x"), Now, Options, random);
            var full = Math.Min(2 * Math.Pow(2, failures), 60);
            Assert.InRange((decision.DueAt - Now).TotalSeconds, full / 2, full);
            Assert.Equal(failures + 1, decision.Failures);
            Assert.False(decision.Dead);
        }
    }

    [Fact]
    public void Backoff_ManyFailures_IsCapped() =>
        Assert.InRange(Retry.Backoff(50, Options, new Random(1)).TotalSeconds, 30, 60);

    [Fact]
    public void After_LastAllowedFailure_IsDead() =>
        Assert.True(Retry.After(Row(3), new InvalidOperationException("x"), Now, Options).Dead);

    [Fact]
    public void After_PermanentError_IsDeadAtOnce() =>
        Assert.True(Retry.After(Row(0), new ExternalCallException("github", "422", 422, permanent: true), Now, Options).Dead);
}
