using System.Net.Http.Headers;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Lifecycle;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>Transcripts written back into Redmine issues (the simulator), read back and verified before the channel goes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RedmineWriteBackTests(PostgresServer postgres)
{
    /// <summary>Opens an incident for a new issue, lets <paramref name="chat"/> happen in its channel, then closes the issue.</summary>
    private static async Task<(long IssueId, string Room)> OpenChatCloseAsync(Harness h, Func<string, Task>? chat = null)
    {
        var rm = h.Sims.Redmine;
        var alice = rm.AddUser("alice", "Alice", "Ops");
        var issue = rm.CreateIssue("Checkout returns 500", "It fails.", alice);
        await h.PollAndRunAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms).Name;
        if (chat is not null)
        {
            await chat(room);
        }
        h.Time.Advance(TimeSpan.FromMinutes(2));
        rm.UpdateIssue(issue.Id, alice, statusId: 5);
        return (issue.Id, room);
    }

    private static async Task<byte[]> AdminBytesAsync(Harness h, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        using var response = await h.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static Task<List<OutboxMessage>> Unfinished(Harness h) =>
        h.QueryAsync(db => db.Outbox.Where(o => o.DoneAt == null).OrderBy(o => o.Id).ToListAsync());

    [Fact]
    public async Task WriteBack_Textile_NoteShowsEveryMessageLiterallyAndTheAttachmentIsTheHtmlTranscript()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var (issueId, room) = await OpenChatCloseAsync(h, async room =>
        {
            using var alice = new ChatPerson(h.Sims, "alice");
            using var bob = new ChatPerson(h.Sims, "bob");
            var root = await alice.SayAsync(room, "Looking at the **README** now");
            await bob.SayAsync(room, "Found it </pre><b>x</b> {{toc}} in line 3", threadId: root);
            await alice.SayAsync(room, "```sql\nSELECT 1 < 2;\n```");
        });
        await h.PollAndRunAsync();

        var rm = h.Sims.Redmine;
        var note = Assert.Single(rm.Journals(issueId), j => j.UserId == rm.Bot.Id && j.Notes.Length > 0);
        Assert.False(note.PrivateNotes);
        Assert.StartsWith("incidents:transcript channel=", note.Notes);
        var parsed = TranscriptMarker.TryParse(note.Notes, TextileMarkup.Instance);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        Assert.Contains($"\nh3. Chat transcript of @#{room}@ (part 1 of 1)\n", note.Notes);
        Assert.Contains("*<notextile>@alice</notextile>*\n\n<pre>\nLooking at the **README** now\n</pre>\n", parsed.Body);
        Assert.Contains("\np(. ↳ @", parsed.Body); // the thread reply, indented under its root
        Assert.Contains("<pre>\nFound it <\u200B/pre><b>x</b> {{toc}} in line 3\n</pre>", parsed.Body); // cannot end its block
        Assert.Contains("<pre><code class=\"sql\">\nSELECT 1 < 2;\n</code></pre>", parsed.Body);
        var manifest = TextileMarkup.Instance.ReadManifest(parsed.Body[parsed.Body.LastIndexOf(TextileMarkup.Instance.ManifestStart, StringComparison.Ordinal)..]);
        Assert.Equal(parsed.TranscriptSha256, manifest?.JsonSha256);

        var attachment = Assert.Single(rm.Attachments(issueId));
        Assert.Equal($"{room}-transcript-{parsed.TranscriptSha256[..8]}.html", attachment.FileName);
        Assert.Equal("text/html", attachment.ContentType);
        var id = (await h.AdminGetAsync("/incidents")).GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(await AdminBytesAsync(h, $"/incidents/{id}/transcript?format=html"), rm.AttachmentContent(attachment.Id));

        Assert.True(h.Sims.RocketChat.Room(room) is null or { Deleted: true });
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
        Assert.Equal(0, rm.WritesWithoutSkipWebhooks);
    }

    [Fact]
    public async Task WriteBack_CommonMarkAndPrivateNotes_AreWrittenAsConfigured()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s =>
        {
            s["Tickets:Redmine:TextFormatting"] = "common_mark";
            s["Tickets:Redmine:PrivateNotes"] = "true";
        }));
        var (issueId, _) = await OpenChatCloseAsync(h, async room =>
        {
            using var alice = new ChatPerson(h.Sims, "alice");
            await alice.SayAsync(room, "```\ngit revert abc\n```");
        });
        await h.PollAndRunAsync();

        var note = Assert.Single(h.Sims.Redmine.Journals(issueId), j => j.UserId == h.Sims.Redmine.Bot.Id && j.Notes.Length > 0);
        Assert.True(note.PrivateNotes);
        Assert.StartsWith("<!-- incidents:transcript channel=", note.Notes);
        var parsed = TranscriptMarker.TryParse(note.Notes, MarkdownMarkup.Instance);
        Assert.NotNull(parsed);
        Assert.Contains("```\ngit revert abc\n```", parsed.Body);
        Assert.Single(h.Sims.Redmine.Attachments(issueId));
    }

    [Fact]
    public async Task WriteBack_RateLimitedByAProxy_WaitsForRetryAfterWithoutCountingAFailure()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var (issueId, _) = await OpenChatCloseAsync(h);
        Assert.Single(await h.PollRedmineAsync());
        h.Sims.Faults.Redmine.TooManyRequests = 1;
        h.Sims.Faults.Redmine.RetryAfterSeconds = 37;
        await h.RunOutboxAsync();

        var waiting = Assert.Single(await Unfinished(h));
        Assert.Equal(LifecycleAction.CloseChannel, waiting.Kind);
        Assert.Equal(0, waiting.Failures);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(37), waiting.DueAt);

        h.Time.Advance(TimeSpan.FromSeconds(37));
        await h.RunOutboxAsync();
        Assert.Empty(await Unfinished(h));
        Assert.Single(h.Sims.Redmine.Journals(issueId), j => j.UserId == h.Sims.Redmine.Bot.Id && j.Notes.Length > 0);
    }

    [Fact]
    public async Task WriteBack_AnswerLostAfterTheNoteWasStored_FindsTheNoteInsteadOfPostingItTwice()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var (issueId, _) = await OpenChatCloseAsync(h);
        Assert.Single(await h.PollRedmineAsync());
        h.Sims.Faults.Redmine.FailAfterCommit = 1;
        await h.RunOutboxAsync();
        Assert.Equal(1, Assert.Single(await Unfinished(h)).Failures);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RunOutboxAsync();
        Assert.Empty(await Unfinished(h));
        Assert.Single(h.Sims.Redmine.Journals(issueId), j => j.UserId == h.Sims.Redmine.Bot.Id && j.Notes.Length > 0);
        Assert.Single(h.Sims.Redmine.Attachments(issueId));
    }

    [Fact]
    public async Task WriteBack_TranscriptLargerThanTheAttachmentLimit_IsPostedAsNotesOnly()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure(s => s["Tickets:Redmine:MaxAttachmentBytes"] = "1024"));
        var (issueId, room) = await OpenChatCloseAsync(h);
        await h.PollAndRunAsync();

        Assert.Empty(h.Sims.Redmine.Attachments(issueId));
        Assert.Single(h.Sims.Redmine.Journals(issueId), j => j.UserId == h.Sims.Redmine.Bot.Id && j.Notes.Length > 0);
        Assert.True(h.Sims.RocketChat.Room(room) is null or { Deleted: true });
    }

    [Fact]
    public async Task WriteBack_LongTranscript_IsSplitIntoVerifiedNotesBelowTheLimit()
    {
        await using var h = await Harness.StartAsync(postgres, RedmineTesting.Configure());
        var (issueId, room) = await OpenChatCloseAsync(h, room =>
        {
            var id = h.Sims.RocketChat.Room(room)!.Id;
            var filler = string.Join(' ', Enumerable.Repeat("status update with details", 40));
            for (var i = 0; i < 200; i++)
            {
                h.Sims.RocketChat.SeedMessage(id, $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
            }
            return Task.CompletedTask;
        });
        await h.PollAndRunAsync();

        var notes = h.Sims.Redmine.Journals(issueId).Where(j => j.UserId == h.Sims.Redmine.Bot.Id && j.Notes.Length > 0).ToList();
        Assert.True(notes.Count >= 3, $"expected several parts, got {notes.Count}");
        var all = "";
        for (var i = 0; i < notes.Count; i++)
        {
            Assert.True(notes[i].Notes.Length <= 60_000);
            var parsed = TranscriptMarker.TryParse(notes[i].Notes, TextileMarkup.Instance)!;
            Assert.Equal((i + 1, notes.Count), (parsed.Part, parsed.Parts));
            all += parsed.Body;
        }
        Assert.All(Enumerable.Range(0, 200), i => Assert.Contains($"{i:D4} status update", all));
        Assert.True(h.Sims.RocketChat.Room(room) is null or { Deleted: true });
    }
}
