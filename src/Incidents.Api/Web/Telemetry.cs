using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Incidents.Web;

/// <summary>
/// The service's own metrics and traces (meter and activity source "Incidents"), exported at <c>/metrics</c>
/// for Prometheus and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, over OTLP.
/// </summary>
internal sealed class Telemetry
{
    public const string Name = "Incidents";
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _rejected;
    private readonly Histogram<long> _batches;
    private readonly Histogram<double> _attempts;
    private readonly Histogram<double> _exportSeconds;
    private readonly Histogram<long> _exportMessages;
    private readonly Histogram<long> _exportBytes;
    private readonly Counter<long> _apiCalls;

    public Telemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _webhooks = meter.CreateCounter<long>("incidents.webhooks.received", "{webhook}", "Webhooks verified and handled, by source and outcome");
        _rejected = meter.CreateCounter<long>("incidents.webhooks.rejected", "{webhook}", "Webhooks refused, by source and reason");
        _batches = meter.CreateHistogram<long>("incidents.webhooks.batch", "{webhook}", "Webhook events stored per database transaction",
            advice: new() { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500] });
        _attempts = meter.CreateHistogram<double>("incidents.outbox.attempt.duration", "s", "Duration of outbox attempts, by kind and outcome");
        _exportSeconds = meter.CreateHistogram<double>("incidents.export.duration", "s", "Time from the start of a channel's capture to its verified transcript");
        _exportMessages = meter.CreateHistogram<long>("incidents.export.messages", "{message}", "Messages per exported transcript");
        _exportBytes = meter.CreateHistogram<long>("incidents.export.size", "By", "Size of the canonical JSON of exported transcripts");
        _apiCalls = meter.CreateCounter<long>("incidents.api.calls", "{call}", "Calls to the chat server and ticket systems, by system and HTTP status");
    }

    public void WebhookHandled(string source, string outcome) =>
        _webhooks.Add(1, new("source", source), new("outcome", outcome));

    public void WebhookRejected(string source, string reason) =>
        _rejected.Add(1, new("source", source), new("reason", reason));

    public void WebhookBatch(int events) => _batches.Record(events);

    public void Attempt(string kind, string outcome, TimeSpan duration) =>
        _attempts.Record(duration.TotalSeconds, new("kind", kind), new("outcome", outcome));

    public void Exported(TimeSpan duration, int messages, long bytes)
    {
        _exportSeconds.Record(duration.TotalSeconds);
        _exportMessages.Record(messages);
        _exportBytes.Record(bytes);
    }

    public void ApiCall(string system, int status) =>
        _apiCalls.Add(1, new("system", system), new("status", status == 0 ? "error" : status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
