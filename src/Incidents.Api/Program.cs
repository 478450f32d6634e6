using Incidents.Chat;
using Incidents.Chat.RocketChat;
using Incidents.Data;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Sandbox;
using Incidents.Tickets;
using Incidents.Transcripts;
using Incidents.Web;
using Incidents.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

// --sandbox is a flag, not a configuration key: take it out before the command line is read as key/value pairs.
var sandboxFlag = args.Contains("--sandbox", StringComparer.OrdinalIgnoreCase);
var builder = WebApplication.CreateBuilder([.. args.Where(a => !string.Equals(a, "--sandbox", StringComparison.OrdinalIgnoreCase))]);
var services = builder.Services;

// Sandbox mode (--sandbox): simulated Rocket.Chat and GitHub in this process, generated secrets, embedded database.
var sandbox = sandboxFlag || SandboxEnvironment.Requested(builder.Configuration) ? await SandboxEnvironment.StartAsync(builder) : null;
if (sandbox is not null)
{
    services.AddHttpClient("sandbox");
    services.AddSingleton<SandboxTickets>();
    services.AddSingleton<SandboxChat>();
}

// Logs: readable lines by default, one JSON object per line with Logging:Format=json.
if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
{
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
}

// Configuration, validated at start (each failure names its key).
services.AddValidatedOptions<ConnectionStringsOptions>(ConnectionStringsOptions.Section);
services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
services.AddValidatedOptions<RocketChatOptions>(RocketChatOptions.Section);
services.AddValidatedOptions<LifecycleOptions>(LifecycleOptions.Section);
services.AddValidatedOptions<OutboxOptions>(OutboxOptions.Section);
services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
services.AddValidatedOptions<AdminOptions>(AdminOptions.Section);
services.AddValidatedOptions<TranscriptOptions>(TranscriptOptions.Section);

// Data and messaging.
services.AddSingleton(TimeProvider.System);
services.AddIncidentsDatabase(); // first: the embedded database is created before anything uses it
services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.GenerateTypesAsInternal = true;
});

// Outbound systems: RestSharp clients over IHttpClientFactory.
services.AddHttpClient<IChatPlatform, RocketChatClient>();
services.AddTicketSystems(builder.Configuration); // every configured instance of every ticket system

// Durable work.
services.AddSingleton<IngestQueue>();
services.AddScoped<TicketEventStore>();
services.AddSingleton<OutboxSignal>();
services.AddSingleton<OutboxProcessor>();
services.AddScoped<Reconciler>();
services.AddScoped<TranscriptCapture>();
services.AddScoped<TranscriptRendering>();
services.AddSingleton<FileLinks>();
services.AddHostedService<LifecycleWorker>();

// Metrics (/metrics, Prometheus) and traces (OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).
services.AddSingleton<Telemetry>();
services.AddSingleton<StateGauges>();
var otel = services.AddOpenTelemetry()
    .ConfigureResource(r => r.AddService("incidents"))
    .WithMetrics(m => m
        .AddMeter(Telemetry.Name)
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddRuntimeInstrumentation()
        .AddPrometheusExporter());
if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    // Traces only where they go somewhere: recording spans nobody exports costs every webhook time for nothing.
    otel.WithTracing(t => t
            .AddSource(Telemetry.Name)
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health"))
            .AddHttpClientInstrumentation())
        .UseOtlpExporter();
}

// HTTP plumbing.
services.AddOpenApi();
services.AddWebhookRateLimit();
services.AddProblemDetails();
services.AddExceptionHandler<ExceptionHandler>();
services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

var app = builder.Build();
app.Services.GetRequiredService<StateGauges>(); // registers the gauges

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapWebhooks();
app.MapIncidents();
app.MapTranscripts();
if (sandbox is not null)
{
    app.MapSandbox();
    app.Lifetime.ApplicationStarted.Register(() => Log.SandboxReady(app.Logger, $"{sandbox.ServiceUrl}sandbox", sandbox.AdminKey));
}
app.MapDashboard();

try
{
    await app.RunAsync();
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync("Incidents cannot start, the configuration is incomplete:");
    foreach (var failure in e.Failures)
    {
        await Console.Error.WriteLineAsync("  - " + failure);
    }
    Environment.ExitCode = 2;
}
finally
{
    if (sandbox is not null)
    {
        await sandbox.DisposeAsync();
    }
}

/// <summary>Entry point; public so the integration tests' WebApplicationFactory can reach it.</summary>
public partial class Program;
