namespace Incidents.Simulators;

/// <summary>A file uploaded to a project through <c>POST /projects/:id/uploads</c>.</summary>
public sealed record GitLabUpload(
    long Id,
    string ProjectId,
    string Secret,
    string FileName,
    string ContentType,
    byte[] Content,
    string UploadedBy,
    DateTimeOffset CreatedAt)
{
    /// <summary>The path GitLab answers as <c>url</c> and links in Markdown.</summary>
    public string Url => $"/uploads/{Secret}/{FileName}";
}
