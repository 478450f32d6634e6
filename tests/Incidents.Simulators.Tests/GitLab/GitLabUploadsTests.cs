using System.Net;
using System.Net.Http.Headers;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.GitLab;

public sealed class GitLabUploadsTests
{
    private static MultipartFormDataContent File(byte[] content, string name, string type = "text/html")
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { part, "file", name } };
    }

    [Fact]
    public async Task Upload_File_Returns201WithUrlAndMarkdownAndDownloadsBackByteForByte()
    {
        await using var sim = await Sim.StartAsync();
        using var http = GitLabNotesTests.Client(sim);
        byte[] content = [.. "<html>transcript</html>"u8, 0, 255];

        var created = await ApiResult.ReadAsync(await http.PostAsync("projects/42/uploads", File(content, "inc-42 transcript.html")));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var url = created.Json["url"]!.GetValue<string>();
        Assert.Matches("^/uploads/[0-9a-f]{32}/inc-42_transcript\\.html$", url);
        Assert.Equal($"[inc-42_transcript.html]({url})", created.Json["markdown"]!.GetValue<string>());
        Assert.Equal($"/-/project/42{url}", created.Json["full_path"]!.GetValue<string>());
        var download = await http.GetAsync($"projects/42{url}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"projects/43{url}")).StatusCode);
        Assert.Single(sim.Host.GitLab.Uploads(42));
    }

    [Fact]
    public async Task Upload_OverTheMaximumAttachmentSize_Is413()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.GitLab.MaxAttachmentBytes = 10;
        using var http = GitLabNotesTests.Client(sim);

        var result = await ApiResult.ReadAsync(await http.PostAsync("projects/42/uploads", File(new byte[11], "big.html")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
        Assert.Equal("413 Request Entity Too Large", result.Json["message"]!.GetValue<string>());
        Assert.Empty(sim.Host.GitLab.Uploads(42));
    }

    [Fact]
    public async Task Download_WithObjectStorage_RedirectsAndTheStoreNeverSeesATokenSentAsBearer()
    {
        await using var sim = await Sim.StartAsync();
        sim.Host.GitLab.DirectDownload = true;
        using var bearer = GitLabNotesTests.Client(sim, privateTokenHeader: false);
        using var privateToken = GitLabNotesTests.Client(sim);
        var created = await ApiResult.ReadAsync(await bearer.PostAsync("projects/42/uploads", File([1, 2, 3], "t.html")));
        var url = created.Json["url"]!.GetValue<string>();

        var viaBearer = await bearer.GetAsync($"projects/42{url}");
        Assert.Equal([1, 2, 3], await viaBearer.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, sim.Host.GitLab.StorageDownloadsWithCredentials);

        // A custom header follows the redirect: the reason the service authenticates with Authorization.
        await privateToken.GetAsync($"projects/42{url}");
        Assert.Equal(1, sim.Host.GitLab.StorageDownloadsWithCredentials);
    }
}
