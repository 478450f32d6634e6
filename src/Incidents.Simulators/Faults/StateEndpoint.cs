using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Faults;

/// <summary>
/// <c>GET /_sim/state</c> (read-only): every room ever created (id, name, archived, deleted, message count) and every
/// GitHub comment (owner, repo, number, id, body length, first line) and every Jira comment (issue id, id, ADF or wiki,
/// length and first line as wiki markup), so a campaign can check the end state.
/// </summary>
internal static class StateEndpoint
{
    public static Task HandleAsync(HttpContext context, SimulatorHost host)
    {
        var rooms = new JsonArray();
        foreach (var room in host.RocketChat.Rooms)
        {
            rooms.Add(new JsonObject
            {
                ["id"] = room.Id,
                ["name"] = room.Name,
                ["deleted"] = room.Deleted,
                ["archived"] = room.Archived,
                ["messages"] = room.MessageCount,
            });
        }

        var comments = new JsonArray();
        foreach (var comment in host.GitHub.AllComments)
        {
            var newline = comment.Body.IndexOf('\n', StringComparison.Ordinal);
            comments.Add(new JsonObject
            {
                ["owner"] = comment.Owner,
                ["repo"] = comment.Repo,
                ["number"] = comment.IssueNumber,
                ["id"] = comment.Id,
                ["bodyLength"] = comment.Body.Length,
                ["firstLine"] = newline < 0 ? comment.Body : comment.Body[..newline],
            });
        }

        var jiraComments = new JsonArray();
        foreach (var comment in host.Jira.AllComments)
        {
            var wiki = comment.Wiki;
            var newline = wiki.IndexOf('\n', StringComparison.Ordinal);
            jiraComments.Add(new JsonObject
            {
                ["issueId"] = comment.IssueId,
                ["id"] = comment.Id,
                ["adf"] = comment.IsAdf,
                ["bodyLength"] = wiki.Length,
                ["firstLine"] = newline < 0 ? wiki : wiki[..newline],
            });
        }

        return JsonWriter.WriteAsync(context.Response, 200, new JsonObject { ["rooms"] = rooms, ["comments"] = comments, ["jiraComments"] = jiraComments });
    }
}
