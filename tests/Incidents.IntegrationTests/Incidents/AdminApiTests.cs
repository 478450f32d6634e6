using System.Net;
using System.Net.Http.Headers;
using Incidents.IntegrationTests.Infrastructure;
using System.Diagnostics;

namespace Incidents.IntegrationTests.Incidents;

[Collection(PostgresCollection.Name)]
public sealed class AdminApiTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-wrong-key-wrong")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer ")]
    public async Task Incidents_WithoutTheAdminKey_Is401(string? authorization)
    {
        await using var h = await Harness.StartAsync(postgres);
        foreach (var path in new[] { "/incidents", $"/incidents/{Guid.NewGuid()}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
            var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain(Harness.AdminKey, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Incidents_List_PagesNewestFirstAndFiltersByState()
    {
        await using var h = await Harness.StartAsync(postgres);
        for (var n = 1; n <= 5; n++)
        {
            var ticket = new TicketId(1296269, "Codertocat/Hello-World", n);
            await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(ticket).Opened(Created));
            h.Time.Advance(TimeSpan.FromSeconds(1));
            if (n <= 2)
            {
                await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(ticket).Closed(Created, h.Time.GetUtcNow()));
            }
        }

        var page = await h.AdminGetAsync("/incidents?pageSize=2&page=1");
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(["Codertocat/Hello-World#5", "Codertocat/Hello-World#4"],
            page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ticketRef").GetString()));
        var closed = await h.AdminGetAsync("/incidents?state=closed");
        Assert.Equal(2, closed.GetProperty("total").GetInt32());
        var open = await h.AdminGetAsync("/incidents?state=open");
        Assert.Equal(3, open.GetProperty("total").GetInt32());
        Assert.All(open.GetProperty("items").EnumerateArray(), i => Assert.Equal("Pending", i.GetProperty("channelStatus").GetString()));
    }

    [Fact]
    public async Task Incidents_List_CountStopsAtItsBoundAndLaterPagesStillWork()
    {
        await using var h = await Harness.StartAsync(postgres);
        var bound = global::Incidents.Incidents.ListIncidents.MaxCount;
        var rows = Enumerable.Range(1, bound + 7).Select(n => new global::Incidents.Incidents.Incident
        {
            Id = Guid.CreateVersion7(Created.AddSeconds(n)),
            Source = "github",
            TicketKey = $"1296269#{n}",
            TicketRef = $"Codertocat/Hello-World#{n}",
            Title = $"incident {n}",
            Url = $"https://github.com/Codertocat/Hello-World/issues/{n}",
            State = global::Incidents.Incidents.TicketState.Open,
            CreatedAt = Created.AddSeconds(n),
            UpdatedAt = Created.AddSeconds(n),
        }).ToList();
        await h.CopyAsync(rows);

        var first = await h.AdminGetAsync("/incidents?state=open&pageSize=100");
        Assert.Equal(bound, first.GetProperty("total").GetInt32());
        Assert.True(first.GetProperty("totalIsLowerBound").GetBoolean());
        var last = await h.AdminGetAsync($"/incidents?state=open&pageSize=100&page={(bound / 100) + 1}");
        Assert.Equal(["Codertocat/Hello-World#7", "Codertocat/Hello-World#6", "Codertocat/Hello-World#5", "Codertocat/Hello-World#4",
            "Codertocat/Hello-World#3", "Codertocat/Hello-World#2", "Codertocat/Hello-World#1"],
            last.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ticketRef").GetString()));
        var exact = await h.AdminGetAsync("/incidents?state=closed");
        Assert.False(exact.GetProperty("totalIsLowerBound").GetBoolean());
    }

    [Fact]
    public async Task Incidents_BadFilterOrUnknownId_AreClientErrors()
    {
        await using var h = await Harness.StartAsync(postgres);
        using var client = h.Client;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/incidents?state=sideways")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/incidents?pageSize=100000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/incidents/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Health_LiveAndReady_AreHealthyWithTheDatabaseUp()
    {
        await using var h = await Harness.StartAsync(postgres);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Health_Ready_Is503WhenTheDatabaseCannotBeReached()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["ConnectionStrings:Incidents"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2");
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await h.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Receive_DatabaseDown_Is503SoTheSenderRetries()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["ConnectionStrings:Incidents"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2");
        var response = await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(new TicketId(1, "a/b", 1)).Opened(Created));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("RocketChat:Url")]
    [InlineData("RocketChat:AuthToken")]
    [InlineData("Tickets:GitHub:WebhookSecret")]
    [InlineData("Admin:ApiKey")]
    [InlineData("ConnectionStrings:Incidents")]
    [InlineData("Transcripts:SigningKey")]
    public async Task Start_MissingRequiredKey_ExitsNamingTheKey(string key)
    {
        // The real service binary, as an operator starts it, configured through environment variables.
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "Incidents.Api.dll"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Incidents"] = "Host=127.0.0.1;Port=1",
            ["RocketChat__Url"] = "http://127.0.0.1:1",
            ["RocketChat__UserId"] = "u",
            ["RocketChat__AuthToken"] = "t",
            ["Tickets__GitHub__WebhookSecret"] = "s",
            ["Tickets__GitHub__Token"] = "t",
            ["Admin__ApiKey"] = "0123456789abcdef0123",
            ["Transcripts__PublicUrl"] = "http://127.0.0.1/",
            ["Transcripts__SigningKey"] = "0123456789abcdef0123456789abcdef",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        settings.Remove(key.Replace(":", "__", StringComparison.Ordinal));
        if (key == "ConnectionStrings:Incidents")
        {
            settings["Database__Provider"] = "Postgres"; // without a provider, no connection string means the embedded SQLite file
        }
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        var message = await stderr;
        Assert.Contains("Incidents cannot start, the configuration is incomplete", message);
        Assert.Contains($"configuration key '{key}' (environment variable {key.Replace(":", "__", StringComparison.Ordinal)})", message);
    }
}
