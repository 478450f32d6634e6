namespace Incidents.Simulators.Faults;

internal readonly record struct FaultDecision(int LatencyMs, FaultKind Kind, int RetryAfterSeconds);
