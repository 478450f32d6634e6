using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.GitLab;

/// <summary>
/// Project Markdown uploads: <c>POST /projects/:id/uploads</c> (multipart field <c>file</c>, at most the instance's
/// maximum attachment size, else 413) and <c>GET /projects/:id/uploads/:secret/:filename</c> (GitLab 17.4+), which
/// answers the bytes or, with object storage, a redirect to a presigned URL.
/// </summary>
internal static partial class GitLabUploads
{
    private static readonly HashSet<string> Embeddable = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tiff", ".ico", ".webp", ".svg", ".mp4", ".webm", ".mov", ".mp3", ".ogg", ".wav",
    };

    public static async Task<SimResponse> CreateAsync(GitLabState state, HttpContext context, string project, string user)
    {
        var request = context.Request;
        IFormFile? file = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            file = form.Files["file"];
        }
        if (file is null)
        {
            return SimResponse.FromJson(400, new JsonObject { ["error"] = "file is missing" });
        }
        long limit;
        lock (state.Gate)
        {
            limit = state.MaxAttachmentBytes;
        }
        if (file.Length > limit)
        {
            return GitLabApi.Message(413, "413 Request Entity Too Large");
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted);
        var name = StoredFileName(file.FileName);
        GitLabUpload upload;
        lock (state.Gate)
        {
            upload = state.AddUpload(project, name, string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray(), user);
        }
        var embeddable = Embeddable.Contains(Path.GetExtension(name));
        var alt = embeddable ? Path.GetFileNameWithoutExtension(name) : name;
        return SimResponse.FromJson(201, new JsonObject
        {
            ["id"] = upload.Id,
            ["alt"] = Path.GetFileNameWithoutExtension(name),
            ["url"] = upload.Url,
            ["full_path"] = $"/-/project/{project}/uploads/{upload.Secret}/{name}",
            ["markdown"] = $"{(embeddable ? "!" : "")}[{alt}]({upload.Url})",
        });
    }

    public static SimResponse Download(GitLabState state, HttpRequest request, string project, string secret, string fileName)
    {
        GitLabUpload? upload;
        bool redirect;
        lock (state.Gate)
        {
            upload = state.FindUpload(project, secret, fileName);
            redirect = state.DirectDownload;
        }
        if (upload is null)
        {
            return GitLabApi.NotFound();
        }
        if (redirect)
        {
            var found = new SimResponse { Status = 302 };
            found.Headers["Location"] = string.Create(CultureInfo.InvariantCulture,
                $"{request.Scheme}://{request.Host}/gitlab/object-storage/{secret}/{Uri.EscapeDataString(fileName)}?X-Amz-Expires=540&X-Amz-Signature=sim{upload.Id}");
            return found;
        }
        var response = new SimResponse { Status = 200, Bytes = upload.Content, ContentType = upload.ContentType };
        response.Headers["Content-Disposition"] = $"attachment; filename=\"{fileName}\"";
        response.Headers["Content-Transfer-Encoding"] = "binary";
        return response;
    }

    /// <summary>CarrierWave's sanitising: word characters, '.', '-' and '+' stay, every other character becomes '_'.</summary>
    public static string StoredFileName(string fileName)
    {
        var name = UnsafeCharacters().Replace(Path.GetFileName(fileName.Replace('\\', '/')), "_");
        return name.Length == 0 ? "unnamed" : name.Trim('.').Length == 0 ? "_" + name : name;
    }

    [GeneratedRegex(@"[^\w.\-+]")]
    private static partial Regex UnsafeCharacters();
}
