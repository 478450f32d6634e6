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
public sealed class GitLabWebhookTests(PostgresServer postgres)
{
    private static readonly GitLabTicket Ticket = new(246765, 5);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);
    private const string SigningToken = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static Task<Harness> Start(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null) =>
        Harness.StartAsync(postgres, s =>
        {
            GitLabHarness.Configure(s);
            more?.Invoke(s);
        });

    private static async Task<int> StoredRows(Harness h) => await h.QueryAsync(async db =>
        await db.Deliveries.CountAsync() + await db.Incidents.CountAsync() + await db.Outbox.CountAsync());

    private static Task<TicketState> State(Harness h) => h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync());

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Receive_BadOrMissingToken_Is401AndStoresNothing(string? token)
    {
        await using var h = await Start(postgres);
        var response = await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created), token: token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SigningTokenConfigured_ValidSignatureIsAccepted()
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:SigningToken"] = SigningToken);
        var response = await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created),
            sign: GitLabHarness.Signed(SigningToken, h.Time.GetUtcNow().AddMinutes(-4)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Receive_SeveralSignaturesOneValid_IsAccepted()
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:SigningToken"] = SigningToken);
        var sign = GitLabHarness.Signed(SigningToken, h.Time.GetUtcNow(), signatures: valid => $"v1,{Convert.ToBase64String(new byte[32])} v2,xyz {valid}");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created), sign: sign)).StatusCode);
    }

    public static TheoryData<string, int> BadSignatures => new()
    {
        { "stale", -6 },
        { "future", 6 },
        { "wrong key", 0 },
        { "missing", 0 },
        { "token missing", 0 },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Receive_SigningTokenConfigured_StaleWrongOrMissingSignatureIs401(string problem, int minutes)
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:SigningToken"] = SigningToken);
        var payload = GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created);
        var at = h.Time.GetUtcNow().AddMinutes(minutes);
        var response = problem switch
        {
            "wrong key" => await h.DeliverGitLabAsync(payload, sign: GitLabHarness.Signed("whsec_" + Convert.ToBase64String(new byte[32]), at)),
            "missing" => await h.DeliverGitLabAsync(payload),
            "token missing" => await h.DeliverGitLabAsync(payload, token: null, sign: GitLabHarness.Signed(SigningToken, at)),
            _ => await h.DeliverGitLabAsync(payload, sign: GitLabHarness.Signed(SigningToken, at)),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_SignatureOverDifferentBytes_Is401()
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:SigningToken"] = SigningToken);
        var body = Encoding.UTF8.GetBytes(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created).Body());
        var signOther = GitLabHarness.Signed(SigningToken, h.Time.GetUtcNow());
        var response = await h.DeliverGitLabRawAsync("Issue Hook", [.. body, (byte)' '], sign: (headers, _) => signOther(headers, body));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Receive_Redelivery_DedupesOnIdempotencyKeyElseEventUuidElseBody()
    {
        await using var h = await Start(postgres);
        var opened = GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(opened, idempotencyKey: "9db5a20d-3bbb-416d-a265-c095052a9348")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverGitLabAsync(opened, idempotencyKey: "9db5a20d-3bbb-416d-a265-c095052a9348")).StatusCode);

        var comment = GitLabPayload.Load("note.issue.create.json").For(Ticket).Note(Harness.Start, "first");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(comment, idempotencyKey: null, eventUuid: "0f490e30-2db8-4091-91a1-52fe67960342")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverGitLabAsync(comment, idempotencyKey: null, eventUuid: "0f490e30-2db8-4091-91a1-52fe67960342")).StatusCode);

        var old = GitLabPayload.Load("note.issue.create.json").For(Ticket).Note(Harness.Start.AddMinutes(1), "from an old GitLab");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(old, idempotencyKey: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.DeliverGitLabAsync(old, idempotencyKey: null)).StatusCode);
        Assert.Equal(3, await h.QueryAsync(db => db.Deliveries.CountAsync()));
    }

    [Fact]
    public async Task Receive_OpenUpdateCommentCloseReopen_DriveTheIncident()
    {
        await using var h = await Start(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created))).StatusCode);
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.StartsWith("inc-246765-5-", room.Name);
        Assert.Equal($"Feature: Add user authentication — {Ticket.Url}", room.Topic);
        var intro = h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null);
        Assert.Contains("**Opened by:** @ga84xah", intro.Text);
        Assert.Contains("enhancement", intro.Text);
        Assert.Contains("Implement OAuth2 authentication flow", intro.Text);

        // The captured update is the one that closed the issue; here it only relabels an open issue.
        var relabelled = GitLabPayload.Load("issue.update.json").For(Ticket).Updated(Created, Harness.Start.AddMinutes(1)).By("root", 1)
            .With(root => root["labels"]!.AsArray().Add(new JsonObject { ["id"] = 1, ["title"] = "sev1" }));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(relabelled)).StatusCode);
        var comment = GitLabPayload.Load("note.issue.create.json").For(Ticket).Note(Harness.Start.AddMinutes(2), "Rolled back the deploy.");
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(comment)).StatusCode);
        var internalNote = GitLabPayload.Load("note.confidential.issue.create.json").For(Ticket).Note(Harness.Start.AddMinutes(3), "Customer data was not touched.", "bob", 77);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(internalNote)).StatusCode);
        await h.RunOutboxAsync();
        var texts = h.Sims.RocketChat.MessagesOf(room.Id).Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.StartsWith("Ticket updated by @root: labels +sev1", StringComparison.Ordinal));
        Assert.Contains("@alice commented on the ticket:\nRolled back the deploy.", texts);
        Assert.Contains("@bob added an internal note to the ticket:\nCustomer data was not touched.", texts);
        Assert.Equal("ga84xah", await h.QueryAsync(db => db.Incidents.Select(i => i.Author).SingleAsync())); // the updater was not the author

        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.close.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(4)))).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Closed, await State(h));
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });

        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.reopen.json").For(Ticket).Reopened(Created, Harness.Start.AddMinutes(5)))).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Open, await State(h));
        Assert.EndsWith("-r2", h.Sims.RocketChat.Rooms.Single(r => !r.Deleted).Name);

        // An update that shows the issue closed closes it (state decides, not the action name).
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.update.json").For(Ticket).Updated(Created, Harness.Start.AddMinutes(6), open: false))).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Closed, await State(h));
        Assert.All(h.Sims.RocketChat.Rooms, r => Assert.True(r.Deleted));
    }

    [Fact]
    public async Task Receive_IncidentAsWorkItemThenAsIssue_BothSpellingsAreOneIncident()
    {
        await using var h = await Start(postgres);
        var incident = new GitLabTicket(80222147, 6);
        var created = GitLabPayload.Load("issue_hook__incident_created.json").For(incident).Opened(Created);
        Assert.Equal("work_item", created.Root["object_kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(created)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Single(h.Sims.RocketChat.Rooms);

        var closed = GitLabPayload.Load("issue_hook__incident_closed.json").For(incident).Closed(Created, Harness.Start);
        Assert.Equal("issue", closed.Root["object_kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(closed)).StatusCode);
        await h.RunOutboxAsync();

        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
        Assert.Equal("gitlab:80222147:6", await h.QueryAsync(db => db.Incidents.Select(i => i.TicketKey).SingleAsync()));
        Assert.Contains(h.Sims.GitLab.Notes(80222147, 6), n => n.Body.StartsWith("<!-- incidents:transcript", StringComparison.Ordinal));
        Assert.True(h.Sims.RocketChat.Rooms[0].Deleted);
    }

    [Fact]
    public async Task Receive_ConfidentialIncidentUpdatedToClosed_ClosesIt()
    {
        await using var h = await Start(postgres);
        var incident = new GitLabTicket(1, 7);
        await h.DeliverGitLabAsync(GitLabPayload.Load("issue.confidential.open.json").For(incident).Opened(Created));
        var update = GitLabPayload.Load("confidential_issue_hook__incident_updated.json").For(incident).Updated(Created, Harness.Start, open: false);
        Assert.Equal("Confidential Issue Hook", update.Event);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(update)).StatusCode);
        await h.RunOutboxAsync();
        Assert.Equal(TicketState.Closed, await State(h));
    }

    [Theory]
    [InlineData("push.json", null)] // an event we do not handle
    [InlineData("note.mergerequest.create.json", null)] // a comment on a merge request
    [InlineData("note.system.json", null)] // "closed via merge request !2"
    [InlineData("note.issue.update.json", null)] // an edited comment
    [InlineData("issue.open.json", "Task")] // a work item that is not an issue or incident
    [InlineData("issue.open.json", "Pipeline Hook")] // an unknown event name with an issue body
    public async Task Receive_EventsWeDoNotActOn_Are204AndStoreNothing(string file, string? variant)
    {
        await using var h = await Start(postgres);
        var payload = GitLabPayload.Load(file);
        if (variant == "Task")
        {
            payload.Attributes["type"] = "Task";
        }
        var response = variant == "Pipeline Hook"
            ? await h.DeliverGitLabRawAsync("Pipeline Hook", Encoding.UTF8.GetBytes(payload.Body()))
            : await h.DeliverGitLabAsync(payload);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_OwnNotesEchoedBack_AreIgnored()
    {
        await using var h = await Start(postgres);
        await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created));
        var byBot = GitLabPayload.Load("note.confidential.issue.create.json").For(Ticket).Note(Harness.Start, "anything", "Incidents-Bot", 9);
        var withMarker = GitLabPayload.Load("note.issue.create.json").For(Ticket)
            .Note(Harness.Start, "<!-- incidents:transcript channel=0195a0b00000700080000000000000aa part=1/1 sha256=" + new string('a', 64) + " -->\nhello");
        var attachment = GitLabPayload.Load("note.issue.create.json").For(Ticket).Note(Harness.Start, "<!-- incidents:attachment -->\n📎 file");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverGitLabAsync(byBot)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverGitLabAsync(withMarker)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverGitLabAsync(attachment)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Deliveries.CountAsync()));
    }

    [Theory]
    [InlineData("Issue Hook", "{\"object_kind\":\"issue\",")]
    [InlineData("Issue Hook", "[]")]
    [InlineData("Issue Hook", "{\"object_kind\":\"issue\",\"project\":{\"id\":1},\"object_attributes\":{\"iid\":\"five\"}}")]
    [InlineData("Issue Hook", "{\"object_kind\":\"note\",\"project\":{\"id\":1},\"object_attributes\":{\"iid\":5}}")]
    [InlineData("Note Hook", "{\"object_kind\":\"note\",\"object_attributes\":{\"noteable_type\":\"Issue\",\"note\":\"x\"}}")]
    [InlineData(null, "{}")]
    public async Task Receive_MalformedAuthenticBody_Is400ProblemAndStoresNothing(string? eventName, string json)
    {
        await using var h = await Start(postgres);
        var response = await h.DeliverGitLabRawAsync(eventName, Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed webhook", problem.GetProperty("title").GetString());
        Assert.Equal(0, await StoredRows(h));
    }

    [Fact]
    public async Task Receive_UnstorableValues_AreRefusedOrCleanedNever500()
    {
        await using var h = await Start(postgres);
        var nul = GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created);
        nul.Attributes["title"] = "nul\u0000title";
        nul.Attributes["description"] = "before\u0000after";
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(nul)).StatusCode);
        Assert.Equal("nul\uFFFDtitle", await h.QueryAsync(db => db.Incidents.Select(i => i.Title).SingleAsync()));

        var longKey = GitLabPayload.Load("issue.open.json").For(Ticket with { Iid = 6 }).Opened(Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverGitLabAsync(longKey, idempotencyKey: new string('k', 300))).StatusCode);
        var hugeIid = GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created).With(r => r["object_attributes"]!["iid"] = 1e30);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.DeliverGitLabAsync(hugeIid)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_LabelFilter_OnlyLabelledIssuesBecomeIncidents()
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:Label"] = "incident");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created))).StatusCode);
        var labelled = GitLabPayload.Load("issue.open.json").For(Ticket with { Iid = 6 }).Opened(Created)
            .With(root => root["labels"]!.AsArray().Add(new JsonObject { ["id"] = 2, ["title"] = "Incident" }));
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(labelled)).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_IncidentsOnly_PlainIssuesAreIgnored()
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:IncidentsOnly"] = "true");
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue_hook__incident_created.json").For(Ticket).Opened(Created))).StatusCode);
        Assert.Equal(1, await h.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Receive_NamedInstance_HasItsOwnSecretTokenAndKeys()
    {
        await using var h = await Start(postgres, s => GitLabHarness.Configure(s, "Tickets:GitLab:Instances:selfhosted", "selfhosted-secret-91aa", "gitlab-token-b", "ops-bot"));
        h.Sims.GitLab.AddToken("gitlab-token-b", "ops-bot");
        var opened = GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created);

        Assert.Equal(HttpStatusCode.Unauthorized, (await h.DeliverGitLabAsync(opened, route: "/webhooks/gitlab/selfhosted")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(opened, token: "selfhosted-secret-91aa", route: "/webhooks/gitlab/selfhosted")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(opened)).StatusCode);
        Assert.Equal(new[] { "gitlab/selfhosted:246765:5", "gitlab:246765:5" }, await h.QueryAsync(db => db.Incidents.OrderByDescending(i => i.Source).Select(i => i.TicketKey).ToListAsync()));

        // Only the named instance's integration user is an echo there.
        var byOpsBot = GitLabPayload.Load("note.issue.create.json").For(Ticket).Note(Harness.Start, "hi", "ops-bot", 5);
        Assert.Equal(HttpStatusCode.NoContent, (await h.DeliverGitLabAsync(byOpsBot, token: "selfhosted-secret-91aa", route: "/webhooks/gitlab/selfhosted")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(byOpsBot)).StatusCode);

        await h.DeliverGitLabAsync(GitLabPayload.Load("issue.close.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(1)), token: "selfhosted-secret-91aa", route: "/webhooks/gitlab/selfhosted");
        await h.RunOutboxAsync();
        var transcript = Assert.Single(h.Sims.GitLab.Notes(Ticket.ProjectId, Ticket.Iid), n => n.Body.StartsWith("<!-- incidents:transcript", StringComparison.Ordinal));
        Assert.Equal("ops-bot", transcript.Author);
        Assert.Equal("ops-bot", Assert.Single(h.Sims.GitLab.Uploads(Ticket.ProjectId)).UploadedBy);
    }
}
