using System.Net;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class LifecycleTests(PostgresServer postgres)
{
    private static readonly TicketId Ticket = new(1296269, "Codertocat/Hello-World", 1347);
    private static readonly DateTimeOffset Created = Harness.Start.AddMinutes(-5);

    [Fact]
    public async Task Lifecycle_OpenChatCommentClose_TranscriptLandsInTheTicketAndTheChannelIsDeleted()
    {
        await using var h = await Harness.StartAsync(postgres);

        var opened = await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        Assert.Equal(HttpStatusCode.Accepted, opened.StatusCode);
        Assert.Empty(h.Sims.RocketChat.Rooms); // the request itself calls nobody
        await h.RunOutboxAsync();

        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.Matches("^[0-9a-zA-Z-_.]+$", room.Name);
        Assert.StartsWith("inc-codertocat-hello-world-1347-", room.Name);
        Assert.Equal($"Spelling error in the README file — https://github.com/{Ticket.Repository}/issues/{Ticket.Number}", room.Topic);
        var intro = h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null);
        Assert.Contains("Spelling error in the README file", intro.Text);
        Assert.Contains($"https://github.com/{Ticket.Repository}/issues/{Ticket.Number}", intro.Text);
        Assert.Contains("@Codertocat", intro.Text);
        Assert.Contains("bug", intro.Text);
        Assert.Contains("It looks like you accidently spelled 'commit' with two 't's.", intro.Text);

        using var alice = new ChatPerson(h.Sims, "alice");
        using var bob = new ChatPerson(h.Sims, "bob");
        var root = await alice.SayAsync(room.Name, "Looking at the **README** now");
        await bob.SayAsync(room.Name, "Found it in line 3", threadId: root);
        await alice.SayAsync(room.Name, "```\ngit commit -m fix\n```");

        h.Time.Advance(TimeSpan.FromMinutes(2));
        var comment = await h.DeliverAsync(GitHubPayload.Load("issue_comment.created.json").For(Ticket).Comment(h.Time.GetUtcNow(), "Fix is merged."));
        Assert.Equal(HttpStatusCode.Accepted, comment.StatusCode);
        await h.RunOutboxAsync();
        Assert.Contains(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Text.Contains("commented on the ticket:\nFix is merged.", StringComparison.Ordinal));

        h.Time.Advance(TimeSpan.FromMinutes(2));
        var closed = await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, h.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Accepted, closed.StatusCode);
        await h.RunOutboxAsync();

        var posted = Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        var parsed = TranscriptMarker.TryParse(posted.Body);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        var content = parsed.Body;
        Assert.Contains("**@alice**\nLooking at the **README** now", content);
        Assert.Contains("> ↳ `2026-03-01 10:00:00` **@bob**\n> Found it in line 3", content);
        Assert.Contains("```\ngit commit -m fix\n```", content);
        Assert.Contains("Fix is merged.", content);
        Assert.Contains("archived the channel", content);
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });

        var incident = await h.AdminGetAsync("/incidents?state=closed");
        var id = incident.GetProperty("items")[0].GetProperty("id").GetString();
        var detail = await h.AdminGetAsync($"/incidents/{id}");
        var channel = detail.GetProperty("channels")[0];
        Assert.Equal("Removed", channel.GetProperty("status").GetString());
        Assert.Equal(posted.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), channel.GetProperty("transcriptCommentIds")[0].GetString());
        Assert.Equal(0, detail.GetProperty("pendingWork").GetArrayLength());
    }

    [Fact]
    public async Task Lifecycle_TranscriptOverGitHubsLimit_IsSplitIntoVerifiedParts()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var filler = string.Join(' ', Enumerable.Repeat("status update with details", 40));
        for (var i = 0; i < 300; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"{i:D4} {filler}", Harness.Start.AddSeconds(i + 1));
        }

        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start.AddHours(1)));
        await h.RunOutboxAsync();

        var comments = h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number);
        Assert.True(comments.Count >= 5, $"expected several parts, got {comments.Count}");
        var all = "";
        for (var i = 0; i < comments.Count; i++)
        {
            Assert.True(comments[i].Body.Length <= 65_536);
            var parsed = TranscriptMarker.TryParse(comments[i].Body)!;
            Assert.Equal((i + 1, comments.Count), (parsed.Part, parsed.Parts));
            Assert.Contains($"(part {i + 1} of {comments.Count})", comments[i].Body);
            all += parsed.Body;
        }
        Assert.All(Enumerable.Range(0, 300), i => Assert.Contains($"{i:D4} status update", all));
        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.Equal(comments.Count, channel.TranscriptCommentIds.Count);
    }

    [Fact]
    public async Task Lifecycle_Reopened_NewChannelLinksTheEarlierTranscriptAndTheSecondCloseExportsOnlyIt()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        using var alice = new ChatPerson(h.Sims, "alice");
        await alice.SayAsync(h.Sims.RocketChat.Rooms[0].Name, "first period talk");
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(10)));
        await h.RunOutboxAsync();
        var firstTranscript = Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));

        await h.DeliverAsync(GitHubPayload.Load("issues.reopened.json").For(Ticket).Reopened(Created, Harness.Start.AddMinutes(20)));
        await h.RunOutboxAsync();
        var second = h.Sims.RocketChat.Rooms.Single(r => !r.Deleted);
        Assert.EndsWith("-r2", second.Name);
        var intro = h.Sims.RocketChat.MessagesOf(second.Id).Single(m => m.Type is null);
        Assert.Contains("Ticket reopened", intro.Text);
        Assert.Contains(firstTranscript.HtmlUrl, intro.Text);

        await alice.SayAsync(second.Name, "second period talk");
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(30)));
        await h.RunOutboxAsync();

        var comments = h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number);
        Assert.Equal(2, comments.Count);
        Assert.Equal(firstTranscript.Body, comments[0].Body);
        Assert.Contains("second period talk", comments[1].Body);
        Assert.DoesNotContain("first period talk", comments[1].Body);
        Assert.All(h.Sims.RocketChat.Rooms, r => Assert.True(r.Deleted));
    }

    [Fact]
    public async Task Lifecycle_CloseArrivesBeforeOpen_ChannelStillGetsItsTranscriptAndIsRemoved()
    {
        await using var h = await Harness.StartAsync(postgres);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created))).StatusCode);
        await h.RunOutboxAsync();

        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.True(room.Deleted);
        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Equal(1, await h.QueryAsync(db => db.Channels.CountAsync()));
    }

    [Fact]
    public async Task Lifecycle_ArchivePolicy_LeavesTheVerifiedChannelArchived()
    {
        await using var h = await Harness.StartAsync(postgres, s => s["Lifecycle:OnClose"] = "archive");
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start));
        await h.RunOutboxAsync();

        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        Assert.True(room.Archived);
        Assert.False(room.Deleted);
        Assert.Single(h.Sims.GitHub.Comments(Ticket.Owner, Ticket.Name, Ticket.Number));
        Assert.Equal(ChannelStatus.Removed, await h.QueryAsync(db => db.Channels.Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task Lifecycle_OneIncident_MakesOnlyTheCallsTheDesignNeeds()
    {
        await using var h = await Harness.StartAsync(postgres);
        await h.DeliverAsync(GitHubPayload.Load("issues.opened.json").For(Ticket).Opened(Created));
        await h.RunOutboxAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        for (var i = 0; i < 50; i++)
        {
            h.Sims.RocketChat.SeedMessage(room.Id, $"chat {i}", Harness.Start.AddSeconds(i + 1));
        }
        for (var i = 0; i < 3; i++)
        {
            await h.DeliverAsync(GitHubPayload.Load("issue_comment.created.json").For(Ticket).Comment(Harness.Start.AddMinutes(i + 1), $"comment {i}"));
        }
        await h.DeliverAsync(GitHubPayload.Load("issues.closed.json").For(Ticket).Closed(Created, Harness.Start.AddMinutes(10)));
        await h.RunOutboxAsync();

        // Rocket.Chat: create (with topic), intro, 3 comments, close notice, archive, one history page, delete.
        Assert.Equal(9, h.Sims.RocketChat.TotalCalls);
        Assert.Equal(1, h.Sims.RocketChat.CallCount("channels.history"));
        // GitHub: post the transcript, read it back.
        Assert.Equal(2, h.Sims.GitHub.TotalCalls);
    }
}
