namespace Incidents.Simulators.RocketChat;

internal readonly record struct RateDecision(bool Allowed, int Limit, int Remaining, long ResetEpochMs, long TimeToResetMs);
