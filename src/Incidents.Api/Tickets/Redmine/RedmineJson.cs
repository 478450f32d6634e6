using System.Globalization;
using System.Text.Json;
using static Incidents.Tickets.PayloadJson;

namespace Incidents.Tickets.Redmine;

/// <summary>
/// Reads Redmine's JSON: the REST API's issues, journals and attachments, and the same objects as the redmine_webhook
/// plugin writes them (users with login/firstname/lastname instead of a name, "assignee" instead of "assigned_to",
/// journal details with prop_key/value instead of name/new_value, values as strings or numbers). Every string loses
/// U+0000, which PostgreSQL cannot store. Throws <see cref="FormatException"/>, <see cref="KeyNotFoundException"/> or
/// <see cref="InvalidOperationException"/> on JSON that is not Redmine's.
/// </summary>
internal static class RedmineJson
{
    public static RedmineIssue Issue(JsonElement e)
    {
        var project = e.GetProperty("project");
        var status = e.GetProperty("status");
        return new RedmineIssue(
            Id: e.GetProperty("id").GetInt64(),
            ProjectId: project.GetProperty("id").GetInt64(),
            ProjectName: Str(project, "name") ?? "",
            ProjectIdentifier: Str(project, "identifier"),
            Subject: Str(e, "subject") ?? "",
            Description: Str(e, "description"),
            StatusId: status.GetProperty("id").GetInt32(),
            StatusName: Str(status, "name"),
            StatusIsClosed: status.TryGetProperty("is_closed", out var closed) && closed.ValueKind is JsonValueKind.True or JsonValueKind.False ? closed.GetBoolean() : null,
            Tracker: Name(e, "tracker"),
            Priority: Name(e, "priority"),
            Category: Name(e, "category"),
            Author: User(e, "author"),
            Assignee: User(e, "assigned_to") ?? User(e, "assignee"),
            CreatedOn: Time(e, "created_on") ?? throw new FormatException("issue.created_on is missing"),
            UpdatedOn: Time(e, "updated_on") ?? Time(e, "created_on")!.Value,
            Journals: e.TryGetProperty("journals", out var journals) && journals.ValueKind == JsonValueKind.Array ? [.. journals.EnumerateArray().Select(Journal)] : [],
            Attachments: e.TryGetProperty("attachments", out var files) && files.ValueKind == JsonValueKind.Array ? [.. files.EnumerateArray().Select(Attachment)] : []);
    }

    public static RedmineJournal Journal(JsonElement e) => new(
        Id: e.GetProperty("id").GetInt64(),
        User: User(e, "user") ?? User(e, "author"),
        Notes: Str(e, "notes") ?? "",
        PrivateNotes: e.TryGetProperty("private_notes", out var p) && p.ValueKind == JsonValueKind.True,
        CreatedOn: Time(e, "created_on") ?? throw new FormatException("journal.created_on is missing"),
        Details: e.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array ? [.. details.EnumerateArray().Select(Detail)] : []);

    public static RedmineAttachment Attachment(JsonElement e) => new(
        Id: e.GetProperty("id").GetInt64(),
        FileName: Str(e, "filename") ?? "",
        Size: e.TryGetProperty("filesize", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : 0,
        ContentUrl: Str(e, "content_url") ?? "",
        AuthorId: User(e, "author")?.Id);

    public static RedmineStatus Status(JsonElement e) => new(
        e.GetProperty("id").GetInt32(),
        Str(e, "name") ?? "",
        e.TryGetProperty("is_closed", out var closed) && closed.ValueKind == JsonValueKind.True);

    private static RedmineDetail Detail(JsonElement e) => new(
        Property: Value(e, "property") ?? "",
        Name: Value(e, "name") ?? Value(e, "prop_key") ?? "",
        OldValue: Value(e, "old_value"),
        NewValue: e.TryGetProperty("new_value", out _) ? Value(e, "new_value") : Value(e, "value"));

    /// <summary>REST users are {id, name}; the plugin's are {id, login, firstname, lastname, …}; null stays null.</summary>
    private static RedmineUser? User(JsonElement e, string property)
    {
        if (!e.TryGetProperty(property, out var u) || u.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var name = Str(u, "name") ?? $"{Str(u, "firstname")} {Str(u, "lastname")}".Trim();
        return new RedmineUser(u.GetProperty("id").GetInt64(), name.Length > 0 ? name : Str(u, "login") ?? "");
    }

    private static string? Name(JsonElement e, string property) =>
        e.TryGetProperty(property, out var o) && o.ValueKind == JsonValueKind.Object ? Str(o, "name") : null;

    /// <summary>A string, or a number's text (journal detail values are strings in Redmine, numbers in some examples).</summary>
    private static string? Value(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetRawText()
        : Str(e, name);

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Str(e, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
