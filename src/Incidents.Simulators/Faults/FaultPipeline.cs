using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Faults;

/// <summary>Applies a target's faults around a simulator call.</summary>
internal static class FaultPipeline
{
    public static async Task RunAsync(HttpContext context, FaultTarget faults, ISimulatorApi api, CancellationToken stopping)
    {
        api.CountCall(api.EndpointName(context.Request));
        var decision = faults.Decide();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            if (decision.LatencyMs > 0)
            {
                await Task.Delay(decision.LatencyMs, linked.Token);
            }

            if (decision.Kind == FaultKind.Hang)
            {
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        var response = decision.Kind switch
        {
            FaultKind.Unavailable => api.Unavailable(),
            FaultKind.TooManyRequests => api.TooManyRequests(decision.RetryAfterSeconds),
            FaultKind.ServerError => api.ServerError(),
            _ => await api.HandleAsync(context),
        };

        if (decision.Kind == FaultKind.None
            && IsMutating(context.Request.Method)
            && response.Status is >= 200 and < 300
            && faults.ConsumeFailAfterCommit())
        {
            response = api.ServerError();
        }

        await response.WriteAsync(context.Response);
    }

    private static bool IsMutating(string method) =>
        !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method);
}
