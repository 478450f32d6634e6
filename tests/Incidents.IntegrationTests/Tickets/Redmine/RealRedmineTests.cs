using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Incidents;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;
using Microsoft.EntityFrameworkCore;

namespace Incidents.IntegrationTests.Tickets.Redmine;

/// <summary>
/// The whole loop against a real Redmine 5.0 (<see cref="RealRedmine"/>), the service polling its REST API with a
/// non-admin integration user: an issue created through Redmine's API becomes a channel, a note reaches the channel,
/// closing the issue brings the transcript back into Redmine as a note and an attachment — read back from Redmine here
/// and checked — and only then is the channel removed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RealRedmineTests(PostgresServer postgres, RealRedmine redmine) : IClassFixture<RealRedmine>
{
    private HttpClient Person()
    {
        var http = new HttpClient { BaseAddress = redmine.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Redmine-API-Key", redmine.AdminKey);
        return http;
    }

    private Action<Dictionary<string, string?>> Configure() => s =>
    {
        s["Tickets:Redmine:Url"] = redmine.BaseUrl.ToString();
        s["Tickets:Redmine:ApiKey"] = redmine.BotKey;
        s["Tickets:Redmine:Project"] = redmine.Project;
        s["Tickets:Redmine:PrivateNotes"] = "true"; // the integration user's role has only View issues, Add notes, Set notes as private
        // The service runs on the test's fake clock (2026-03-01); Redmine on the real one.
        s["Tickets:Redmine:InitialLookback"] = "3650.00:00:00";
    };

    private static async Task<JsonElement> IssueAsync(HttpClient http, long id)
    {
        using var response = await http.GetAsync($"issues/{id}.json?include=journals,attachments");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issue");
    }

    private static async Task UpdateAsync(HttpClient http, long id, object issue)
    {
        using var response = await http.PutAsync($"issues/{id}.json", Json(new { issue }));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    [RealRedmineFact]
    public async Task RealRedmine_IssueChatClose_TranscriptNoteAndAttachmentReadBackFromRedmineAndChannelRemoved()
    {
        await using var h = await Harness.StartAsync(postgres, Configure());
        using var person = Person();

        // 1. Someone opens an issue in Redmine.
        using var created = await person.PostAsync("issues.json", Json(new
        {
            issue = new { project_id = redmine.Project, subject = "Checkout returns 500", description = "Since 09:58.\nAll regions." },
        }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var issueId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issue").GetProperty("id").GetInt64();

        await h.PollAndRunAsync();
        var room = Assert.Single(h.Sims.RocketChat.Rooms);
        var intro = h.Sims.RocketChat.MessagesOf(room.Id).Single(m => m.Type is null).Text;
        Assert.Contains("Since 09:58.\nAll regions.", intro); // Redmine stored it with CRLF
        Assert.Contains($"{redmine.BaseUrl}issues/{issueId}", intro);

        // 2. A note in Redmine reaches the channel; people talk in the channel.
        await UpdateAsync(person, issueId, new { notes = "Rolling back the 10:00 deploy." });
        await h.PollAndRunAsync();
        Assert.Contains(h.Sims.RocketChat.MessagesOf(room.Id), m => m.Text == "Redmine Admin commented on the ticket:\nRolling back the 10:00 deploy.");
        using (var alice = new ChatPerson(h.Sims, "alice"))
        using (var bob = new ChatPerson(h.Sims, "bob"))
        {
            var root = await alice.SayAsync(room.Name, "Looking at the **README** now");
            await bob.SayAsync(room.Name, "Found it </pre><b>x</b> in line 3 — ünïcödé ✓ 🚀", threadId: root);
            await alice.SayAsync(room.Name, "```sql\nSELECT 1 < 2;\n```");
        }

        // 3. The issue is closed in Redmine: the transcript goes into it, is read back and verified, the channel goes.
        await UpdateAsync(person, issueId, new { status_id = 5, notes = "Fixed by the rollback." });
        await h.PollAndRunAsync();
        var channel = await h.QueryAsync(db => db.Channels.SingleAsync());
        Assert.Equal(ChannelStatus.Removed, channel.Status);
        Assert.True(h.Sims.RocketChat.Room(room.Id) is null or { Deleted: true });

        // 4. What Redmine holds now, read back independently of the service.
        var issue = await IssueAsync(person, issueId);
        var notes = issue.GetProperty("journals").EnumerateArray()
            .Where(j => j.GetProperty("user").GetProperty("id").GetInt64() == redmine.BotId && j.GetProperty("notes").GetString() is { Length: > 0 }).ToList();
        Assert.True(Assert.Single(notes).GetProperty("private_notes").GetBoolean());
        var note = notes[0].GetProperty("notes").GetString()!;
        var parsed = TranscriptMarker.TryParse(note, TextileMarkup.Instance);
        Assert.NotNull(parsed);
        Assert.Equal((1, 1), (parsed.Part, parsed.Parts));
        Assert.Equal(parsed.PartSha256, parsed.BodySha256()); // came back byte for byte
        Assert.Equal(channel.TranscriptHash, parsed.TranscriptSha256);
        Assert.Contains("Redmine Admin commented on the ticket:\nRolling back the 10:00 deploy.", parsed.Body);
        Assert.Contains("Found it <\u200B/pre><b>x</b> in line 3 — ünïcödé ✓ 🚀", parsed.Body);
        Assert.Contains("<pre><code class=\"sql\">\nSELECT 1 < 2;\n</code></pre>", parsed.Body);
        Assert.Contains("Ticket closed by @Redmine Admin (Fixed by the rollback.)", parsed.Body);

        var attachment = Assert.Single(issue.GetProperty("attachments").EnumerateArray());
        Assert.Equal($"{room.Name}-transcript-{parsed.TranscriptSha256[..8]}.html", attachment.GetProperty("filename").GetString());
        Assert.Equal(redmine.BotId, attachment.GetProperty("author").GetProperty("id").GetInt64());
        var bytes = await person.GetByteArrayAsync(attachment.GetProperty("content_url").GetString());
        var html = await AdminBytesAsync(h, $"/incidents/{channel.IncidentId}/transcript?format=html");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(html)), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Contains("Looking at the <strong>README</strong> now", System.Text.Encoding.UTF8.GetString(bytes));

        // 5. How Redmine shows the note: every message literal, code highlighted, nothing breaking out of its block.
        var rendered = await redmine.RenderTextileAsync(note);
        Assert.Contains("<h3>Chat transcript of <code>#" + room.Name + "</code> (part 1 of 1)</h3>", rendered);
        Assert.Contains("Looking at the **README** now", rendered);
        Assert.Contains("Found it &lt;\u200B/pre&gt;&lt;b&gt;x&lt;/b&gt; in line 3", rendered);
        Assert.DoesNotContain("<b>x</b>", rendered);
        Assert.Contains("<code class=\"sql syntaxhl\"", rendered);
        Assert.Contains("<code class=\"json syntaxhl\"", rendered); // the manifest

        // 6. The service's own journals are not taken for news; reopening starts a new period.
        Assert.Equal(0, Assert.Single(await h.PollAndRunAsync()).Accepted);
        await UpdateAsync(person, issueId, new { status_id = 2 });
        await h.PollAndRunAsync();
        Assert.EndsWith("-r2", h.Sims.RocketChat.Rooms.Single(r => !r.Deleted).Name);
        Assert.Equal(TicketState.Open, await h.QueryAsync(db => db.Incidents.Select(i => i.State).SingleAsync()));
    }

    /// <summary>A JSON body with a Content-Length (thin, Redmine's server here, drops chunked request bodies).</summary>
    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<byte[]> AdminBytesAsync(Harness h, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Harness.AdminKey);
        using var response = await h.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
