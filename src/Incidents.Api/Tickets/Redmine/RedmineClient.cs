using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RestSharp;

namespace Incidents.Tickets.Redmine;

/// <summary>
/// The REST calls the service makes to one Redmine instance (<c>X-Redmine-API-Key</c> auth, JSON), all through
/// <see cref="TicketApi"/> to the configured base. Writes carry <c>X-Skip-Webhooks: 1</c> so the redmine_webhook
/// plugin does not echo them back.
/// </summary>
internal sealed class RedmineClient(TicketApi api)
{
    /// <summary>Redmine's largest page of issues.</summary>
    public const int PageSize = 100;

    public TicketApi Api => api;

    /// <summary>The id of the user the API key belongs to (the integration user).</summary>
    public async Task<long> CurrentUserIdAsync(CancellationToken ct)
    {
        using var doc = TicketApi.Json(await api.ExecuteAsync(new RestRequest("users/current.json"), ct));
        return doc.RootElement.GetProperty("user").GetProperty("id").GetInt64();
    }

    public async Task<IReadOnlyDictionary<int, RedmineStatus>> StatusesAsync(CancellationToken ct)
    {
        using var doc = TicketApi.Json(await api.ExecuteAsync(new RestRequest("issue_statuses.json"), ct));
        return doc.RootElement.GetProperty("issue_statuses").EnumerateArray().Select(RedmineJson.Status).ToDictionary(s => s.Id);
    }

    /// <summary>
    /// One page of the issues (open and closed) updated at or after <paramref name="since"/>, oldest change first. Redmine
    /// compares at whole seconds and includes the second before; the caller overlaps and deduplicates anyway.
    /// </summary>
    public async Task<(IReadOnlyList<RedmineIssue> Issues, int Total)> UpdatedSinceAsync(DateTimeOffset since, string? project, int offset, CancellationToken ct)
    {
        var request = new RestRequest("issues.json")
            .AddQueryParameter("status_id", "*")
            .AddQueryParameter("updated_on", ">=" + since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .AddQueryParameter("sort", "updated_on:asc")
            .AddQueryParameter("limit", PageSize.ToString(CultureInfo.InvariantCulture))
            .AddQueryParameter("offset", offset.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(project))
        {
            request.AddQueryParameter("project_id", project).AddQueryParameter("subproject_id", "!*");
        }
        using var doc = TicketApi.Json(await api.ExecuteAsync(request, ct));
        var root = doc.RootElement;
        var issues = root.GetProperty("issues").EnumerateArray().Select(RedmineJson.Issue).ToList();
        var total = root.TryGetProperty("total_count", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : issues.Count;
        return (issues, total);
    }

    /// <summary>One issue with the associations named in <paramref name="include"/> ("journals", "attachments").</summary>
    public async Task<RedmineIssue> IssueAsync(long id, string include, CancellationToken ct)
    {
        var request = new RestRequest(string.Create(CultureInfo.InvariantCulture, $"issues/{id}.json")).AddQueryParameter("include", include);
        using var doc = TicketApi.Json(await api.ExecuteAsync(request, ct));
        return RedmineJson.Issue(doc.RootElement.GetProperty("issue"));
    }

    /// <summary>Adds a note (204, no body: the caller reads the journals to find it).</summary>
    public Task AddNotesAsync(long id, string notes, bool isPrivate, CancellationToken ct) =>
        UpdateAsync(id, new JsonObject { ["notes"] = notes, ["private_notes"] = isPrivate }, ct);

    /// <summary>Uploads a file's bytes; returns the token that attaches it to an issue.</summary>
    public async Task<string> UploadAsync(byte[] content, string fileName, CancellationToken ct)
    {
        var request = new RestRequest("uploads.json", Method.Post)
            .AddQueryParameter("filename", fileName)
            .AddHeader("X-Skip-Webhooks", "1")
            .AddBody(content, ContentType.Binary);
        using var doc = TicketApi.Json(await api.ExecuteAsync(request, ct));
        return doc.RootElement.GetProperty("upload").GetProperty("token").GetString()
            ?? throw new InvalidOperationException("uploads.json answered without a token");
    }

    /// <summary>Attaches an uploaded file to an issue.</summary>
    public Task AttachAsync(long id, string token, string fileName, string contentType, string description, CancellationToken ct) =>
        UpdateAsync(id, new JsonObject
        {
            ["uploads"] = new JsonArray(new JsonObject
            {
                ["token"] = token,
                ["filename"] = fileName,
                ["content_type"] = contentType,
                ["description"] = description,
            }),
        }, ct);

    /// <summary>An attachment's bytes, from its content_url (refused unless it lies under the configured base).</summary>
    public async Task<byte[]> DownloadAsync(string contentUrl, CancellationToken ct) =>
        (await api.ExecuteAsync(new RestRequest(api.Relative(contentUrl)), ct)).RawBytes ?? [];

    private async Task UpdateAsync(long id, JsonObject issue, CancellationToken ct)
    {
        var request = new RestRequest(string.Create(CultureInfo.InvariantCulture, $"issues/{id}.json"), Method.Put)
            .AddHeader("X-Skip-Webhooks", "1")
            .AddStringBody(new JsonObject { ["issue"] = issue }.ToJsonString(), ContentType.Json);
        await api.ExecuteAsync(request, ct);
    }
}
