using Incidents.Benchmarks.Floor;
using Npgsql;

// The ingest benchmark's floor: the least a durable webhook receiver must do (read the body, verify the HMAC, one INSERT).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration.GetConnectionString("Incidents")
    ?? throw new InvalidOperationException("ConnectionStrings:Incidents is required");
var secret = builder.Configuration["Secret"] ?? throw new InvalidOperationException("Secret is required");
await using var dataSource = NpgsqlDataSource.Create(connectionString);
await FloorStore.CreateTableAsync(dataSource);

var app = builder.Build();
var receiver = new FloorReceiver(new FloorStore(dataSource), secret);
app.MapPost("/webhooks/github", receiver.ReceiveAsync);
app.MapGet("/health/ready", () => Results.Ok());
await app.RunAsync();
