using System.Text.Json.Nodes;

namespace Incidents.Simulators.RocketChat;

/// <summary>Aborts an endpoint with an exact status and body.</summary>
internal sealed class RcException(int status, JsonObject body) : Exception(body.ToJsonString())
{
    public int Status { get; } = status;

    public JsonObject Body { get; } = body;

    /// <summary>Rate-limit state to report in headers (set on 429s of the limiter).</summary>
    public RateDecision? Rate { get; init; }
}
