using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Incidents;
using Incidents.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Webhooks;

[Collection(PostgresCollection.Name)]
public sealed class GenericWebhookTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    private static GenericEvent Opened(string id = "INC-1042") => GenericEvent.Load("opened.json").For(id).At(Harness.Start.AddMinutes(-1), Created);

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Receive_DocumentedExampleSignedAsDocumented_Is202AndOpensTheIncident()
    {
        await using var h = await GenericSender.StartAsync(postgres);

        var response = await h.SendGenericAsync(GenericEvent.Raw("opened.json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incident = await h.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("generic", "generic:INC-1042", "INC-1042"), (incident.Source, incident.TicketKey, incident.TicketRef));
        Assert.Equal("Checkout API returns 502 for EU customers", incident.Title);
        Assert.Equal(["incident", "sev2", "payments"], incident.Labels);
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("no signature")]
    [InlineData("no timestamp")]
    [InlineData("signature of another timestamp")]
    public async Task Receive_BadOrMissingSignature_Is401ProblemAndStoresNothing(string how)
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var body = Opened().Bytes();
        HttpResponseMessage response;
        if (how == "no timestamp")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/generic") { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-Incidents-Signature", GenericSender.Sign(GenericSender.Secret, "", body));
            request.Headers.Add("X-Incidents-Delivery", "d-1");
            response = await h.Client.SendAsync(request);
        }
        else
        {
            response = how switch
            {
                "wrong secret" => await h.SendGenericAsync(body, secret: "not the secret"),
                "no signature" => await h.SendGenericAsync(body, secret: null),
                _ => await h.SendGenericAsync(body, signature: _ => GenericSender.Sign(GenericSender.Secret, "1772359201", body)),
            };
        }

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Problem(response);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignatureOverDifferentBytes_Is401()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var body = Opened().Bytes();

        var response = await h.SendGenericAsync([.. body, (byte)'\n'], signature: _ => GenericSender.Sign(GenericSender.Secret, h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData(-301, HttpStatusCode.Unauthorized)]
    [InlineData(301, HttpStatusCode.Unauthorized)]
    [InlineData(-3600, HttpStatusCode.Unauthorized)]
    [InlineData(-300, HttpStatusCode.Accepted)]
    [InlineData(300, HttpStatusCode.Accepted)]
    public async Task Receive_SignedAtOffsetFromOurClock_AcceptedOnlyInsideTheDefaultFiveMinuteWindow(int seconds, HttpStatusCode expected)
    {
        await using var h = await GenericSender.StartAsync(postgres);

        var response = await h.SendGenericAsync(Opened().Bytes(), signedAt: h.Time.GetUtcNow().AddSeconds(seconds));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.Accepted ? 1 : 0, await h.QueryAsync(db => db.Deliveries.CountAsync()));
    }

    [Fact]
    public async Task Receive_ConfiguredReplayWindow_IsTheOneApplied()
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:ReplayWindow"] = "00:01:00");
        var body = Opened().Bytes();

        Assert.Equal(HttpStatusCode.Unauthorized, (await h.SendGenericAsync(body, signedAt: h.Time.GetUtcNow().AddSeconds(-90))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(body, signedAt: h.Time.GetUtcNow().AddSeconds(-60))).StatusCode);
    }

    [Fact]
    public async Task Receive_CapturedDeliveryReplayedAfterTheWindow_Is401()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var body = Opened().Bytes();
        var timestamp = h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = GenericSender.Sign(GenericSender.Secret, timestamp, body);
        HttpRequestMessage Captured(string delivery)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/generic") { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-Incidents-Timestamp", timestamp);
            request.Headers.Add("X-Incidents-Signature", signature);
            request.Headers.Add("X-Incidents-Delivery", delivery);
            return request;
        }
        using (var first = Captured("d-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await h.Client.SendAsync(first)).StatusCode);
        }

        h.Time.Advance(TimeSpan.FromMinutes(6));
        using var replay = Captured("d-2"); // an attacker cannot re-sign, so a new delivery id does not help

        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.SendAsync(replay)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Deliveries.CountAsync()));
    }

    [Theory]
    [InlineData("old,new")]
    [InlineData("new,old")]
    public async Task Receive_DuringSecretRotation_EitherOfTwoSignaturesIsEnough(string order)
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var body = Opened().Bytes();

        var response = await h.SendGenericAsync(body, signature: current =>
        {
            var old = GenericSender.Sign("the previous secret", h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body);
            return order == "old,new" ? $"{old},{current}" : $"{current}, {old}";
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Receive_SameDeliveryIdResignedLater_Is200AndChangesNothing()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var body = Opened().Bytes();
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(body, "delivery-7")).StatusCode);
        var before = await StoredRows(h);

        h.Time.Advance(TimeSpan.FromMinutes(30)); // a retry much later, signed anew
        var retry = await h.SendGenericAsync(body, "delivery-7");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(before, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_MissingDeliveryId_Is400ProblemNamingTheHeader()
    {
        await using var h = await GenericSender.StartAsync(postgres);

        var response = await h.SendGenericAsync(Opened().Bytes(), delivery: "");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("X-Incidents-Delivery:", (await Problem(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("ticket.state", """{"ticket": {"state": "resolved"}}""")]
    [InlineData("ticket.id", """{"ticket": {"id": 1042}}""")]
    [InlineData("ticket.title", """{"ticket": {"title": ""}}""")]
    [InlineData("ticket.url", """{"ticket": {"url": "javascript:alert(1)"}}""")]
    [InlineData("ticket.labels[0]", """{"ticket": {"labels": [true]}}""")]
    [InlineData("ticket.created_at", """{"ticket": {"created_at": "1 March 2026"}}""")]
    [InlineData("occurred_at", """{"occurred_at": null}""")]
    [InlineData("ticket", """{"ticket": null}""")]
    [InlineData("event", """{"event": null}""")]
    public async Task Receive_InvalidField_Is400ProblemNamingTheField(string field, string patch)
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var evt = Opened();
        Merge(evt.Root, JsonNode.Parse(patch)!.AsObject());

        var response = await h.SendGenericAsync(evt);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("Malformed webhook", problem.GetProperty("title").GetString());
        Assert.StartsWith(field + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"opened\"")]
    public async Task Receive_NotAJsonObject_Is400(string json)
    {
        await using var h = await GenericSender.StartAsync(postgres);

        var response = await h.SendGenericAsync(Encoding.UTF8.GetBytes(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem(response);
    }

    [Theory]
    [InlineData("""{"event": "ping"}""")]
    [InlineData("""{"event": "assigned", "ticket": {"id": "INC-1"}}""")]
    public async Task Receive_EventWeDoNotHandle_Is204AndStoresNothing(string json)
    {
        await using var h = await GenericSender.StartAsync(postgres);

        var response = await h.SendGenericAsync(Encoding.UTF8.GetBytes(json));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Theory]
    [InlineData("someone", "<!-- incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=a transcript=b -->\nhello")]
    [InlineData("incidents-bot", "Chat transcript (copied by the receiver)")]
    public async Task Receive_EchoOfOurOwnTranscript_Is204AndNotRelayed(string author, string body)
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:IntegrationUser"] = "incidents-bot");
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var before = h.Sims.RocketChat.MessagesOf(room.Id).Count;

        var echo = GenericEvent.Load("commented.json").At(Harness.Start, Created).With(r =>
        {
            r["comment"]!["author"] = author;
            r["comment"]!["body"] = body;
        });
        var response = await h.SendGenericAsync(echo);
        await h.RunOutboxAsync();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(before, h.Sims.RocketChat.MessagesOf(room.Id).Count);
    }

    [Fact]
    public async Task Receive_DocumentedLifeOfATicket_OpenUpdateCommentCloseReopenDeleteMapToTheLifecycle()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        Task<Incident> Incident() => h.QueryAsync(db => db.Incidents.Include(i => i.Channels).SingleAsync());
        async Task Send(string file, int minute)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            var response = await h.SendGenericAsync(GenericEvent.Load(file).At(Harness.Start.AddMinutes(minute), Created));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await h.RunOutboxAsync();
        }

        await Send("opened.json", 0);
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Equal("Checkout API returns 502 for EU customers — https://tickets.example.com/tickets/INC-1042", room.Topic);
        var intro = h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null);
        Assert.Contains("@erik", intro.Text);
        Assert.Contains("```\nPOST /v2/checkout -> 502 Bad Gateway (upstream: payments-eu)\n```", intro.Text);
        Assert.Equal(TicketState.Open, (await Incident()).State);

        await Send("updated.json", 1);
        Assert.Contains(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Text == "Ticket updated by @erik: labels +sev1, -sev2; assignees +@farah.");

        await Send("commented.json", 2);
        Assert.Contains(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Text == "@erik commented on the ticket:\nRolled payments-eu back to v4.12.1; the error rate is dropping.");

        await Send("closed.json", 3);
        Assert.Equal(TicketState.Closed, (await Incident()).State);
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });
        var firstParts = h.Sims.Generic.Parts(GenericSender.Receiver, "INC-1042");
        Assert.NotEmpty(firstParts);
        Assert.Contains("@erik commented on the ticket", string.Concat(firstParts.Select(p => p.Body)));

        await Send("reopened.json", 4);
        var incident = await Incident();
        Assert.Equal(TicketState.Open, incident.State);
        var second = h.Sims.RocketChat.Rooms.Single(r => !r.Deleted);
        Assert.EndsWith("-r2", second.Name);
        Assert.Contains(firstParts[0].Url, h.Sims.RocketChat.MessagesOf(second.Id).Single(m => m.Type is null).Text);

        await Send("deleted.json", 5);
        incident = await Incident();
        Assert.Equal(TicketState.Closed, incident.State);
        Assert.All(incident.Channels, c => Assert.Equal(ChannelStatus.Removed, c.Status));
        Assert.All(h.Sims.RocketChat.Rooms, r => Assert.True(r.Deleted));
        var channels = h.Sims.Generic.Parts(GenericSender.Receiver, "INC-1042").Select(p => p.Channel).Distinct().ToList();
        Assert.Equal(incident.Channels.Select(c => c.Id.ToString("N")).Order(), channels.Order());
    }

    [Fact]
    public async Task Receive_UpdatedShowingTheTicketClosedThenOpen_ClosesAndReopensByState()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        await h.SendGenericAsync(Opened());
        await h.RunOutboxAsync();

        var closedByUpdate = GenericEvent.Load("updated.json").At(Harness.Start.AddMinutes(1), Created).With(r => r["ticket"]!["state"] = "closed");
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(closedByUpdate)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Closed, await h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync()));
        Assert.True(Assert.Single(h.Sims.RocketChat.Rooms).Deleted);

        var openByUpdate = GenericEvent.Load("updated.json").At(Harness.Start.AddMinutes(2), Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(openByUpdate)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Open, await h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync()));
        Assert.Equal(2, h.Sims.RocketChat.Rooms.Count);

        var stale = GenericEvent.Load("closed.json").At(Harness.Start.AddMinutes(1).AddSeconds(30), Created);
        await h.SendGenericAsync(stale);
        Assert.Equal(TicketState.Open, await h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync()));
    }

    [Fact]
    public async Task Receive_LabelFilter_OnlyLabelledTicketsBecomeIncidents()
    {
        await using var h = await GenericSender.StartAsync(postgres, s => s["Tickets:Generic:Label"] = "sev1");

        Assert.Equal(HttpStatusCode.NoContent, (await h.SendGenericAsync(Opened())).StatusCode); // sev2 only
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(GenericEvent.Load("updated.json").At(Harness.Start, Created))).StatusCode);

        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_SignedButUnstorableValues_AreRefusedOrCleanedNever500()
    {
        await using var h = await GenericSender.StartAsync(postgres);
        var nul = Opened().With(r => r["ticket"]!["title"] = "nul\u0000title");
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(nul)).StatusCode);
        Assert.Equal("nul\uFFFDtitle", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        Assert.Equal(HttpStatusCode.BadRequest, (await h.SendGenericAsync(Opened("INC-2"), delivery: new string('d', 300))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.SendGenericAsync(Opened(new string('9', 600)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.SendGenericAsync(Opened("INC\u0000"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.SendGenericAsync(Opened(new string('9', 256)))).StatusCode);
        Assert.Equal(2, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_DocumentedShellSender_IsAccepted()
    {
        // The script of docs/generic-webhook.md, run as written: only `curl` (which cannot reach the in-memory test
        // server) and `date` (the test's clock) are stood in for. What the script would send is replayed as is.
        if (OperatingSystem.IsWindows())
        {
            return; // a POSIX shell script
        }
        await using var h = await GenericSender.StartAsync(postgres);
        var work = Directory.CreateTempSubdirectory("generic-sender-");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(work.FullName, "bin")).FullName;
            var argsFile = Path.Combine(work.FullName, "curl-args");
            await File.WriteAllTextAsync(Path.Combine(bin, "curl"), "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$CURL_ARGS\"\n");
            await File.WriteAllTextAsync(Path.Combine(bin, "date"), $"#!/bin/sh\necho {h.Time.GetUtcNow().ToUnixTimeSeconds()}\n");
            File.SetUnixFileMode(Path.Combine(bin, "curl"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            File.SetUnixFileMode(Path.Combine(bin, "date"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var script = Path.Combine(work.FullName, "send-event.sh");
            await File.WriteAllTextAsync(script, DocumentedSenderScript());
            var payload = Path.Combine(AppContext.BaseDirectory, "Payloads", "Generic", "opened.json");

            var run = new ProcessStartInfo("sh", [script, "http://incidents.test/webhooks/generic", payload]) { RedirectStandardError = true };
            run.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
            run.Environment["INCIDENTS_SECRET"] = GenericSender.Secret;
            run.Environment["CURL_ARGS"] = argsFile;
            using (var process = Process.Start(run)!)
            {
                var stderr = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, $"the documented sender failed (it needs sh, cat, cut and openssl): {stderr}");
            }

            var args = (await File.ReadAllTextAsync(argsFile)).TrimEnd('\0').Split('\0');
            var url = new Uri(args.Single(a => a.StartsWith("http", StringComparison.Ordinal)));
            using var request = new HttpRequestMessage(HttpMethod.Post, url.PathAndQuery)
            {
                Content = new ByteArrayContent(await File.ReadAllBytesAsync(args[Array.IndexOf(args, "--data-binary") + 1].TrimStart('@'))),
            };
            for (var i = 0; i < args.Length - 1; i++)
            {
                if (args[i] == "-H")
                {
                    var (name, value) = (args[i + 1][..args[i + 1].IndexOf(':', StringComparison.Ordinal)], args[i + 1][(args[i + 1].IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                    if (!request.Headers.TryAddWithoutValidation(name, value))
                    {
                        request.Content.Headers.TryAddWithoutValidation(name, value);
                    }
                }
            }
            var response = await h.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("generic:INC-1042", await h.QueryAsync(db => db.Incidents.Select(i => i.TicketKey).SingleAsync()));
            Assert.Equal(32, (await h.QueryAsync(db => db.Deliveries.Select(d => d.DeliveryId).SingleAsync())).Length); // openssl rand -hex 16
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The fenced sh block after <c>&lt;!-- sender-script --&gt;</c> in docs/generic-webhook.md.</summary>
    private static string DocumentedSenderScript()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Incidents.sln")))
        {
            dir = dir.Parent;
        }
        var doc = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "generic-webhook.md")).ReplaceLineEndings("\n");
        const string start = "<!-- sender-script -->\n```sh\n";
        var from = doc.IndexOf(start, StringComparison.Ordinal) + start.Length;
        Assert.True(from >= start.Length, "docs/generic-webhook.md has no sender script");
        return doc[from..doc.IndexOf("\n```\n", from, StringComparison.Ordinal)] + "\n";
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is JsonObject o && target[name] is JsonObject existing)
            {
                Merge(existing, o);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
