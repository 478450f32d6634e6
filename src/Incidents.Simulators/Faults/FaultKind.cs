namespace Incidents.Simulators.Faults;

internal enum FaultKind
{
    None,
    Unavailable,
    Hang,
    TooManyRequests,
    ServerError,
}
