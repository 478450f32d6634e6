using System.Security.Cryptography;
using System.Text.Json;
using Incidents.Chat;
using Incidents.Data;
using Incidents.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Incidents.Transcripts;

/// <summary>
/// Reads a channel's whole history and its files into the database, checkpointing after every page and every
/// file: a crash or a rate limit mid-export continues from the last checkpoint, never from the start.
/// </summary>
internal sealed class TranscriptCapture(IncidentsDbContext db, IChatPlatform chat, IOptions<TranscriptOptions> options, TimeProvider time)
{
    /// <returns>How many files the channel has (rows in <c>captured_files</c>).</returns>
    public async Task<int> CaptureHistoryAsync(Channel channel, CancellationToken ct)
    {
        // Each page is saved together with the count of pages after it, so before the first page nothing of the channel is stored.
        var cursor = channel.ExportCursor is null ? HistoryCursor.Start : JsonSerializer.Deserialize<HistoryCursor>(channel.ExportCursor, CapturedHistory.Json)!;
        var knownFiles = channel.ExportPages == 0
            ? new HashSet<string>(StringComparer.Ordinal)
            : (await db.CapturedFiles.Where(f => f.ChannelId == channel.Id).Select(f => f.FileId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        while (!channel.HistoryComplete)
        {
            var page = await chat.ReadHistoryPageAsync(channel.RoomId!, cursor, ct);
            var ids = page.Messages.Select(m => m.Id).ToList();
            var stored = channel.ExportPages == 0
                ? new HashSet<string>(StringComparer.Ordinal)
                : (await db.CapturedMessages.Where(m => m.ChannelId == channel.Id && ids.Contains(m.MessageId)).Select(m => m.MessageId).ToListAsync(ct))
                    .ToHashSet(StringComparer.Ordinal);
            var added = 0;
            foreach (var message in page.Messages.Where(m => stored.Add(m.Id)))
            {
                added++;
                db.CapturedMessages.Add(new CapturedMessage
                {
                    ChannelId = channel.Id,
                    MessageId = message.Id,
                    Timestamp = message.Timestamp,
                    ThreadId = message.ThreadId,
                    Username = message.Username,
                    SystemType = message.SystemType,
                    Json = JsonSerializer.Serialize(message with { RawTimestamp = null }, CapturedHistory.Json),
                });
                foreach (var file in (message.Files ?? []).Where(f => knownFiles.Add(f.Id)))
                {
                    db.CapturedFiles.Add(new CapturedFile
                    {
                        ChannelId = channel.Id,
                        FileId = file.Id,
                        Name = file.Name,
                        ContentType = file.Type,
                        Size = file.Size ?? 0,
                        SourceUrl = file.Url,
                    });
                }
            }
            channel.ExportPages++;
            channel.ExportMessages += added;
            if (page.Next is null)
            {
                channel.HistoryComplete = true;
            }
            else
            {
                cursor = page.Next;
                channel.ExportCursor = JsonSerializer.Serialize(cursor, CapturedHistory.Json);
            }
            await db.SaveChangesAsync(ct); // the page and the cursor after it, together
            Forget<CapturedMessage>();
            Forget<CapturedFile>();
        }
        return knownFiles.Count;
    }

    /// <summary>
    /// Downloads the files not downloaded yet. Each download is saved with the count of files done, so once that count reaches
    /// <paramref name="files"/> there is nothing left to look for.
    /// </summary>
    public async Task DownloadFilesAsync(Channel channel, int files, CancellationToken ct)
    {
        while (channel.ExportFiles < files && await db.CapturedFiles.Where(f => f.ChannelId == channel.Id && f.DownloadedAt == null).OrderBy(f => f.FileId).FirstOrDefaultAsync(ct) is { } file)
        {
            var download = await chat.DownloadFileAsync(file.SourceUrl, options.Value.MaxFileBytes, ct);
            if (download.Bytes is { } bytes)
            {
                file.Content = bytes;
                file.Size = bytes.LongLength;
                file.Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            }
            file.Problem = download.Problem;
            file.DownloadedAt = time.GetUtcNow();
            channel.ExportFiles++;
            await db.SaveChangesAsync(ct);
            db.Entry(file).State = EntityState.Detached;
        }
    }

    /// <summary>Stops tracking captured rows once saved, so a 100,000-message export does not grow the change tracker.</summary>
    private void Forget<T>() where T : class
    {
        foreach (var entry in db.ChangeTracker.Entries<T>().ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
