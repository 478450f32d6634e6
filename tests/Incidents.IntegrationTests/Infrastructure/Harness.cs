using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Incidents.Data;
using Incidents.Lifecycle;
using Incidents.Simulators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Incidents.IntegrationTests.Infrastructure;

/// <summary>
/// One test's world: its own migrated database, the simulators on a real port, and the real service
/// talking to both. Background work is driven explicitly (<see cref="RunOutboxAsync"/>) and time moves only
/// when a test advances <see cref="Time"/>.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    public const string WebhookSecret = "test-webhook-secret-7f3a";
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string PublicUrl = "http://incidents.test/";
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;
    private readonly ILoggerProvider? _logs;
    private IncidentsApp _app;

    private Harness(Dictionary<string, string?> settings, FakeTimeProvider time, SimulatorHost sims, ILoggerProvider? logs)
    {
        _settings = settings;
        Time = time;
        Sims = sims;
        _logs = logs;
        _app = new IncidentsApp(settings, time, logs);
        Client = _app.CreateClient();
    }

    public FakeTimeProvider Time { get; }
    public SimulatorHost Sims { get; }
    public HttpClient Client { get; private set; }
    public IServiceProvider Services => _app.Services;

    public static async Task<Harness> StartAsync(PostgresServer? postgres, Action<Dictionary<string, string?>>? configure = null,
        Func<TimeProvider, SimulatorOptions>? simulator = null, ILoggerProvider? logs = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = simulator?.Invoke(time) ?? new SimulatorOptions { TimeProvider = time };
        var sims = await SimulatorHost.StartAsync(options);
        var settings = new Dictionary<string, string?>
        {
            // Without PostgreSQL: the embedded SQLite database, in a file of its own.
            ["ConnectionStrings:Incidents"] = postgres is null
                ? $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("incidents-sqlite-").FullName, "incidents.db")}"
                : await postgres.CreateDatabaseAsync(),
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["RocketChat:Url"] = sims.BaseUrl.ToString(),
            ["RocketChat:UserId"] = options.BotUserId,
            ["RocketChat:AuthToken"] = options.BotToken,
            ["Tickets:GitHub:WebhookSecret"] = WebhookSecret,
            ["Tickets:GitHub:Token"] = options.GitHubToken,
            ["Tickets:GitHub:ApiUrl"] = sims.BaseUrl.ToString(),
            ["Admin:ApiKey"] = AdminKey,
            ["Transcripts:PublicUrl"] = PublicUrl,
            ["Transcripts:SigningKey"] = "test-signing-key-0123456789abcdef0123456789",
            ["Outbox:Background"] = "false",
            ["Outbox:BackoffBase"] = "00:00:01",
            ["Outbox:BackoffMax"] = "00:01:00",
        };
        configure?.Invoke(settings);
        return new Harness(settings, time, sims, logs);
    }

    /// <summary>Delivers a webhook exactly as GitHub does: raw JSON, event and delivery headers, HMAC signature.</summary>
    public Task<HttpResponseMessage> DeliverAsync(GitHubPayload payload, string? deliveryId = null, string? secret = WebhookSecret) =>
        DeliverRawAsync(payload.Event, Encoding.UTF8.GetBytes(payload.Body()), deliveryId ?? Guid.NewGuid().ToString(), secret);

    public async Task<HttpResponseMessage> DeliverRawAsync(string eventName, byte[] body, string? deliveryId, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        if (deliveryId is not null)
        {
            request.Headers.Add("X-GitHub-Delivery", deliveryId);
        }
        request.Headers.Add("X-GitHub-Hook-ID", "292430182");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/044aadd");
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", Sign(secret, body));
        }
        return await Client.SendAsync(request);
    }

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Runs every due outbox row until nothing is due.</summary>
    public Task RunOutboxAsync() => Services.GetRequiredService<OutboxProcessor>().RunUntilIdleAsync(CancellationToken.None);

    public async Task<int> ReconcileAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Reconciler>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>PostgreSQL: inserts rows the way the webhook batch path does (binary COPY, one transaction).</summary>
    public async Task CopyAsync<T>(IReadOnlyList<T> rows) where T : class
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await PostgresCopy.WriteAsync(db, rows, CancellationToken.None);
        await transaction.CommitAsync();
    }

    public async Task<T> QueryAsync<T>(Func<IncidentsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IncidentsDbContext>());
    }

    public async Task<JsonElement> AdminGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Stops the service as a crash would (no graceful hand-over of anything in flight) and starts a new one on the same database.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        _app = new IncidentsApp(_settings, Time, _logs);
        Client = _app.CreateClient();
    }

    /// <summary>Another instance of the service on the same database, simulators and clock.</summary>
    public Task<Instance> SecondInstanceAsync() => Task.FromResult(new Instance(new IncidentsApp(_settings, Time, _logs)));

    public sealed class Instance(IncidentsApp app) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;

        public Task RunOutboxAsync() => app.Services.GetRequiredService<OutboxProcessor>().RunUntilIdleAsync(CancellationToken.None);

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        await Sims.DisposeAsync();
        // Npgsql keeps a pool per connection string for the life of the process: close this test database's
        // connections now, or hundreds of tests exhaust the throwaway server's max_connections.
        if (_settings["Database:Provider"] == "Postgres")
        {
            await using var connection = new Npgsql.NpgsqlConnection(_settings["ConnectionStrings:Incidents"]);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }
}
