using System.Net;
using System.Security.Cryptography;
using System.Text;
using Incidents.Incidents;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Lifecycle;
using Incidents.Simulators;
using Incidents.Tickets.GitLab;
using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class GitLabLifecycleTests(PostgresServer postgres)
{
    private static readonly GitLabTicket Ticket = new(246765, 5);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    private static Task<Harness> Start(PostgresServer postgres, Action<Dictionary<string, string?>>? more = null) =>
        Harness.StartAsync(postgres, s =>
        {
            GitLabHarness.Configure(s);
            more?.Invoke(s);
        });

    private static IReadOnlyList<GitLabNote> Transcripts(Harness h) =>
        [.. h.Sims.GitLab.Notes(Ticket.ProjectId, Ticket.Iid).Where(n => n.Body.StartsWith("<!-- incidents:transcript", StringComparison.Ordinal))];

    private static Task<List<OutboxMessage>> Unfinished(Harness h) =>
        h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null && o.DeadAt == null).ToListAsync());

    private static async Task OpenAsync(Harness h)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverGitLabAsync(GitLabPayload.Load("issue.open.json").For(Ticket).Opened(Created))).StatusCode);
        await h.RunOutboxAsync();
    }

    private static Task<HttpResponseMessage> CloseAsync(Harness h, int minute = 10) =>
        h.DeliverGitLabAsync(GitLabPayload.Load("issue.close.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(minute)));

    [Fact]
    public async Task Lifecycle_OpenChatCommentClose_TranscriptIsAnInternalNoteWithTheFileAndNoQuickActionRuns()
    {
        await using var h = await Start(postgres);
        await OpenAsync(h);
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var root = await alice.SayAsync(room.Name, "Checking the **dashboards**");
        await bob.SayAsync(room.Name, "Found it in line 3", threadId: root);
        await alice.SayAsync(room.Name, "```sh\n/usr/bin/restart --all\n/close\n```");
        await bob.SayAsync(room.Name, "/close");
        await bob.SayAsync(room.Name, "/label ~resolved\nlooks fixed");
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.DeliverGitLabAsync(GitLabPayload.Load("note.issue.create.json").For(Ticket).Note(h.Time.GetUtcNow(), "Fix is deployed."));
        await h.RunOutboxAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await CloseAsync(h)).StatusCode);
        await h.RunOutboxAsync();

        var note = Assert.Single(Transcripts(h));
        Assert.True(note.Internal);
        Assert.Equal("incidents-bot", note.Author);
        Assert.EndsWith("\n" + GitLabNoteBody.EndMarker, note.Body);
        var parsed = TranscriptMarker.TryParse(GitLabNoteBody.Decode(note.Body), GitLabMarkup.Instance);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        Assert.Equal(parsed.PartSha256, parsed.BodySha256()); // stored byte for byte once the end marker is taken off
        var body = parsed.Body;
        Assert.Contains("**@alice**\nChecking the **dashboards**", body);
        Assert.Contains("> ↳ `2026-03-01 10:00:00` **@bob**\n> Found it in line 3", body);
        Assert.Contains("```sh\n/usr/bin/restart --all\n/close\n```", body); // code stays code
        Assert.Contains("**@bob**\n\\/close\n", body); // a chat line is escaped, so it renders as "/close" and runs nothing
        Assert.Contains("\\/label ~resolved\nlooks fixed\n", body);
        Assert.Contains("Fix is deployed.", body);
        Assert.Contains("```json\n", body); // the manifest
        Assert.Equal("opened", h.Sims.GitLab.IssueState(Ticket.ProjectId, Ticket.Iid));

        var upload = Assert.Single(h.Sims.GitLab.Uploads(Ticket.ProjectId));
        Assert.Matches("^inc-246765-5-[0-9a-f]{8}-transcript-[0-9a-f]{8}\\.html$", upload.FileName);
        Assert.Contains("Checking the", Encoding.UTF8.GetString(upload.Content));
        var attachment = Assert.Single(h.Sims.GitLab.Notes(Ticket.ProjectId, Ticket.Iid), n => n.Body.StartsWith(GitLabNoteBody.AttachmentMarker, StringComparison.Ordinal));
        Assert.Contains($"[{upload.FileName}]({upload.Url})", attachment.Body);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(upload.Content)), attachment.Body);
        Assert.True(attachment.Internal);

        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.Equal(note.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(channel.TranscriptCommentIds));
        Assert.Equal($"https://gitlab.example.com/sim-group/project-246765/-/issues/5#note_{note.Id}", channel.TranscriptUrl);
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });
        // Upload, attachment note, transcript note, the issue's web_url; then one listing each for parts and file, and the download.
        Assert.Equal(1, h.Sims.GitLab.CallCount("uploads.create"));
        Assert.Equal(2, h.Sims.GitLab.CallCount("notes.create"));
        Assert.Equal(1, h.Sims.GitLab.CallCount("issues.get"));
        Assert.Equal(2, h.Sims.GitLab.CallCount("notes.list"));
        Assert.Equal(1, h.Sims.GitLab.CallCount("uploads.download"));
    }

    [Fact]
    public async Task Lifecycle_Reopened_NewChannelLinksTheEarlierTranscriptNote()
    {
        await using var h = await Start(postgres);
        await OpenAsync(h);
        await CloseAsync(h);
        await h.RunOutboxAsync();
        var first = Assert.Single(Transcripts(h));

        await h.DeliverGitLabAsync(GitLabPayload.Load("issue.reopen.json").For(Ticket).Reopened(Created, Harness.Start.AddMinutes(20)));
        await h.RunOutboxAsync();

        var second = h.Sims.RocketChat.Rooms.Single(r => !r.Deleted);
        var intro = h.Sims.RocketChat.MessagesOf(second.Id).Single(m => m.Type is null);
        Assert.Contains($"https://gitlab.example.com/sim-group/project-246765/-/issues/5#note_{first.Id}", intro.Text);
    }

    [Fact]
    public async Task Lifecycle_GitLabAnswers429_WaitsForRetryAfterWithoutCountingAFailure()
    {
        await using var h = await Start(postgres);
        await OpenAsync(h);
        h.Sims.Faults.GitLab.TooManyRequests = 1;
        h.Sims.Faults.GitLab.RetryAfterSeconds = 37;
        await CloseAsync(h);
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await Unfinished(h));
        Assert.Equal(LifecycleAction.CloseChannel, waiting.Kind);
        Assert.Equal(0, waiting.Failures);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(37), waiting.DueAt);
        Assert.Empty(h.Sims.GitLab.Uploads(Ticket.ProjectId));

        h.Time.Advance(TimeSpan.FromSeconds(37));
        await h.RunOutboxAsync();
        Assert.Empty(await Unfinished(h));
        Assert.Single(Transcripts(h));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_NotesRateLimitHit_IsHonouredThroughRetryAfter()
    {
        await using var h = await Start(postgres);
        h.Sims.GitLab.NotesCreatePerMinute = 1; // the transcript note takes the minute's only slot; the file's note waits
        await OpenAsync(h);
        await CloseAsync(h);
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await Unfinished(h));
        Assert.Equal(0, waiting.Failures);
        Assert.True(waiting.DueAt > h.Time.GetUtcNow() && waiting.DueAt <= h.Time.GetUtcNow().AddMinutes(1));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();
        Assert.Empty(await Unfinished(h));
        Assert.Single(Transcripts(h));
        // The first upload lost its note to the limit and stays unreferenced; the retry uploads and links a new one.
        Assert.Equal(2, h.Sims.GitLab.Uploads(Ticket.ProjectId).Count);
        Assert.Single(h.Sims.GitLab.Notes(Ticket.ProjectId, Ticket.Iid), n => n.Body.StartsWith(GitLabNoteBody.AttachmentMarker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lifecycle_AnswerLostAfterTheNoteWasStored_RetryFindsItAcrossPagesAndPostsNoSecond()
    {
        await using var h = await Start(postgres);
        await OpenAsync(h);
        for (var i = 0; i < 45; i++)
        {
            h.Sims.GitLab.AddNote(Ticket.ProjectId, Ticket.Iid, $"human note {i}", "alice", system: i % 5 == 0);
        }
        h.Sims.Faults.GitLab.FailAfterCommit = 1; // the transcript note is stored, its answer is a 500
        await CloseAsync(h);
        await h.RunOutboxAsync();
        Assert.Single(Transcripts(h));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();

        Assert.Empty(await Unfinished(h));
        Assert.Single(Transcripts(h));
        Assert.Single(h.Sims.GitLab.Uploads(Ticket.ProjectId));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.True(h.Sims.GitLab.CallCount("notes.list") >= 4, "the listing followed the pages");
    }

    [Fact]
    public async Task Lifecycle_ObjectStorageDownload_IsVerifiedAndTheTokenStaysWithGitLab()
    {
        await using var h = await Start(postgres);
        h.Sims.GitLab.DirectDownload = true;
        await OpenAsync(h);
        await CloseAsync(h);
        await h.RunOutboxAsync();

        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.Equal(1, h.Sims.GitLab.CallCount("storage.download"));
        Assert.Equal(0, h.Sims.GitLab.StorageDownloadsWithCredentials);
    }

    [Fact]
    public async Task Lifecycle_TranscriptFileOverTheConfiguredLimit_IsNotUploadedAndTheNotesAreStillVerified()
    {
        await using var h = await Start(postgres, s => s["Tickets:GitLab:MaxAttachmentBytes"] = "100");
        await OpenAsync(h);
        await CloseAsync(h);
        await h.RunOutboxAsync();

        Assert.Empty(h.Sims.GitLab.Uploads(Ticket.ProjectId));
        Assert.Single(Transcripts(h));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_TranscriptOverGitLabsNoteLimit_IsSplitIntoVerifiedPartsAndChatCommandsStayText()
    {
        await using var h = await Start(postgres);
        await OpenAsync(h);
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var filler = string.Join(' ', Enumerable.Repeat("status update with details", 140));
        for (var i = 0; i < 300; i++)
        {
            // No backtick ends a line in the first part, so nothing there is shielded from GitLab's quick actions.
            h.Sims.RocketChat.SeedMessage(room.Id, i == 10 ? "/close" : $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }
        await CloseAsync(h, minute: 60);
        await h.RunOutboxAsync();

        var parts = Transcripts(h);
        Assert.True(parts.Count >= 2, $"expected several parts, got {parts.Count}");
        Assert.All(parts, p => Assert.True(p.Body.EnumerateRunes().Count() <= 1_000_000));
        Assert.Contains("\\/close", parts[0].Body);
        Assert.Equal("opened", h.Sims.GitLab.IssueState(Ticket.ProjectId, Ticket.Iid));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }
}
