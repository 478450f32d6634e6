using Incidents.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Incidents.Transcripts;

/// <summary>Streams the large renderings (JSON, HTML) into and out of <c>transcript_blobs</c> without holding them in memory twice.</summary>
internal static class TranscriptBlobs
{
    public static async Task WriteAsync(IncidentsDbContext db, Guid channelId, string format, Stream content, CancellationToken ct)
    {
        var connection = await OpenAsync(db, ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO transcript_blobs (channel_id, format, content) VALUES ($1, $2, $3)
            ON CONFLICT (channel_id, format) DO UPDATE SET content = EXCLUDED.content
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = format });
        command.Parameters.Add(new NpgsqlParameter { Value = content, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Size = checked((int)content.Length) });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Copies a stored rendering to <paramref name="output"/>; false when there is none.</summary>
    public static async Task<bool> CopyToAsync(IncidentsDbContext db, Guid channelId, string format, Stream output, CancellationToken ct)
    {
        var connection = await OpenAsync(db, ct);
        await using var command = new NpgsqlCommand("SELECT content FROM transcript_blobs WHERE channel_id = $1 AND format = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = format });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct))
        {
            return false;
        }
        await using var stream = await reader.GetStreamAsync(0, ct);
        await stream.CopyToAsync(output, ct);
        return true;
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
