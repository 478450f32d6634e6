using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Incidents.Simulators.Tests.Infrastructure;

namespace Incidents.Simulators.Tests.RocketChat;

public sealed class FileTests
{
    private static MultipartFormDataContent Form(string name, string text, params (string Key, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        content.Add(file, "file", name);
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value), key);
        }

        return content;
    }

    [Fact]
    public async Task MediaThenConfirm_CreatesFileMessageAndDownloadServesBytes()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var upload = await sim.Bot.PostMultipartAsync($"rooms.media/{roomId}", Form("report.txt", "transcript bytes"));
        var fileId = upload.Json["file"]!["_id"]!.GetValue<string>();
        var url = upload.Json["file"]!["url"]!.GetValue<string>();
        var confirm = await sim.Bot.PostAsync($"rooms.mediaConfirm/{roomId}/{fileId}", new { msg = "the report", description = "final" });
        var download = await sim.Bot.DownloadAsync(url);
        var anonymous = await sim.Client(null).DownloadAsync(url);
        var files = await sim.Bot.GetAsync($"channels.files?roomId={roomId}");

        Assert.Equal(HttpStatusCode.OK, upload.Status);
        Assert.Matches("^[0-9a-f]{24}$", fileId);
        Assert.Equal($"/file-upload/{fileId}/report.txt", url);
        var message = confirm.Json["message"]!;
        Assert.Equal("the report", message["msg"]!.GetValue<string>());
        Assert.Equal(fileId, message["file"]!["_id"]!.GetValue<string>());
        Assert.Equal("report.txt", message["files"]![0]!["name"]!.GetValue<string>());
        var attachment = message["attachments"]![0]!;
        Assert.Equal("file", attachment["type"]!.GetValue<string>());
        Assert.Equal("report.txt", attachment["title"]!.GetValue<string>());
        Assert.Equal(url, attachment["title_link"]!.GetValue<string>());
        Assert.True(attachment["title_link_download"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal("transcript bytes", download.Text);
        Assert.Equal("text/plain", download.ContentHeaders.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.Status);
        Assert.Equal(1, files.Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task MediaConfirm_OtherUserOrRoomOrExpired_ReturnsInvalidFile()
    {
        await using var sim = await Sim.StartAsync();
        var alice = sim.NewUser("alice");
        var roomId = await sim.Bot.CreateRoomAsync("inc-1", "c", "alice");
        var otherRoom = await sim.Bot.CreateRoomAsync("inc-2");
        var fileId = (await sim.Bot.PostMultipartAsync($"rooms.media/{roomId}", Form("a.txt", "a"))).Json["file"]!["_id"]!.GetValue<string>();

        var otherUser = await alice.PostAsync($"rooms.mediaConfirm/{roomId}/{fileId}", new { });
        var wrongRoom = await sim.Bot.PostAsync($"rooms.mediaConfirm/{otherRoom}/{fileId}", new { });
        sim.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMilliseconds(1));
        var expired = await sim.Bot.PostAsync($"rooms.mediaConfirm/{roomId}/{fileId}", new { });

        const string Invalid = """{"success":false,"error":"[invalid-file]","errorType":"invalid-file"}""";
        Assert.Equal(Invalid, otherUser.Text);
        Assert.Equal(Invalid, wrongRoom.Text);
        Assert.Equal(Invalid, expired.Text);
    }

    [Fact]
    public async Task Download_AfterRoomDeleted_Returns404()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");
        var upload = await sim.Bot.PostMultipartAsync($"rooms.media/{roomId}", Form("a.txt", "a"));
        var fileId = upload.Json["file"]!["_id"]!.GetValue<string>();
        await sim.Bot.PostAsync($"rooms.mediaConfirm/{roomId}/{fileId}", new { });

        await sim.Bot.PostAsync("channels.delete", new { roomId });
        var download = await sim.Bot.DownloadAsync(upload.Json["file"]!["url"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, download.Status);
        Assert.Empty(sim.State.FilesOf(roomId));
    }

    [Fact]
    public async Task RoomsUpload_In8x_Returns404()
    {
        await using var sim = await Sim.StartAsync(8);
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostMultipartAsync($"rooms.upload/{roomId}", Form("a.txt", "a"));

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public async Task RoomsUpload_Before8x_PostsFileMessage(int version)
    {
        await using var sim = await Sim.StartAsync(version);
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var result = await sim.Bot.PostMultipartAsync($"rooms.upload/{roomId}", Form("log.txt", "log", ("msg", "logs attached")));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("logs attached", result.Json["message"]!["msg"]!.GetValue<string>());
        var link = result.Json["message"]!["attachments"]![0]!["title_link"]!.GetValue<string>();
        Assert.Equal("log", (await sim.Bot.DownloadAsync(link)).Text);
    }

    [Fact]
    public async Task SeedMessage_WithFile_IsDownloadable()
    {
        await using var sim = await Sim.StartAsync();
        var roomId = await sim.Bot.CreateRoomAsync("inc-1");

        var seeded = sim.State.SeedMessage(new MessageSeed { RoomId = roomId, Text = "see file", File = new SeedFile("x.bin", "application/octet-stream", [1, 2, 3]) });

        var file = Assert.Single(sim.State.FilesOf(roomId));
        Assert.Equal([file.Id], seeded.FileIds);
        Assert.Equal(HttpStatusCode.OK, (await sim.Bot.DownloadAsync(file.Url)).Status);
    }
}
