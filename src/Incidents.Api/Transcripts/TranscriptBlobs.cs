using Incidents.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Incidents.Transcripts;

/// <summary>Streams the large renderings (JSON, HTML) into and out of <c>transcript_blobs</c> without holding them in memory twice.</summary>
internal static class TranscriptBlobs
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>Replaces the rendering with the content of <paramref name="content"/>, read to its end in 1 MiB chunks.</summary>
    public static async Task WriteAsync(IncidentsDbContext db, Guid channelId, string format, Stream content, CancellationToken ct)
    {
        var connection = await OpenAsync(db, ct);
        await using (var delete = new NpgsqlCommand("DELETE FROM transcript_blobs WHERE channel_id = $1 AND format = $2", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = channelId });
            delete.Parameters.Add(new NpgsqlParameter { Value = format });
            await delete.ExecuteNonQueryAsync(ct);
        }
        var buffer = new byte[ChunkBytes];
        for (var chunk = 0; ; chunk++)
        {
            var filled = await content.ReadAtLeastAsync(buffer, ChunkBytes, throwOnEndOfStream: false, ct);
            if (filled == 0 && chunk > 0)
            {
                return;
            }
            await using var insert = new NpgsqlCommand("INSERT INTO transcript_blobs (channel_id, format, chunk, content) VALUES ($1, $2, $3, $4)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = channelId });
            insert.Parameters.Add(new NpgsqlParameter { Value = format });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk });
            insert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = buffer.AsMemory(0, filled) });
            await insert.ExecuteNonQueryAsync(ct);
            if (filled < ChunkBytes)
            {
                return;
            }
        }
    }

    /// <summary>Copies a stored rendering to <paramref name="output"/>, chunk by chunk; false when there is none.</summary>
    public static async Task<bool> CopyToAsync(IncidentsDbContext db, Guid channelId, string format, Stream output, CancellationToken ct)
    {
        var connection = await OpenAsync(db, ct);
        await using var command = new NpgsqlCommand("SELECT content FROM transcript_blobs WHERE channel_id = $1 AND format = $2 ORDER BY chunk", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = format });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        var any = false;
        while (await reader.ReadAsync(ct))
        {
            any = true;
            await using var stream = await reader.GetStreamAsync(0, ct);
            await stream.CopyToAsync(output, ct);
        }
        return any;
    }

    private static async Task<NpgsqlConnection> OpenAsync(IncidentsDbContext db, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        return connection;
    }
}
