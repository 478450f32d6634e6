using Npgsql;
using NpgsqlTypes;

namespace Incidents.Benchmarks.Footprint;

/// <summary>
/// Bulk rows for the list query: binary COPY into <c>incidents</c> with the migrator's columns (one in five open, created over
/// the last three years), and one channel per incident (Removed for closed incidents) with INSERT … SELECT.
/// </summary>
internal static class IncidentRows
{
    public static async Task AddAsync(string connectionString, int count, int offset, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var random = new Random(offset);
        var now = TimeProvider.System.GetUtcNow();
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY incidents (id, source, ticket_key, ticket_ref, title, url, author, labels, assignees, body, state, state_at, snapshot_at, created_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < count; i++)
            {
                var n = offset + i;
                var created = now.AddSeconds(-random.Next(0, 3 * 365 * 24 * 3600));
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync("github", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync($"github:42:{n}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync($"acme/ops#{n}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync($"Checkout latency above SLO in region {n % 7} (ticket {n})", NpgsqlDbType.Text, ct);
                await copy.WriteAsync($"https://github.com/acme/ops/issues/{n}", NpgsqlDbType.Text, ct);
                await copy.WriteAsync("oncall-bot", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(new[] { "incident", "sev2" }, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(new[] { "alice" }, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync("Error rate and p99 latency above the SLO since the last deploy.", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(n % 5 == 0 ? "Open" : "Closed", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using var channels = new NpgsqlCommand("""
            INSERT INTO channels (id, incident_id, period, name, room_id, status, opened_at, created_at, removed_at, closed_at, transcript_comment_ids,
                                  export_pages, export_messages, export_files, history_complete, publish_started)
            SELECT gen_random_uuid(), i.id, 1, 'inc-' || replace(i.ticket_ref, '/', '-'), md5(i.ticket_key), CASE i.state WHEN 'Open' THEN 'Open' ELSE 'Removed' END,
                   i.created_at, i.created_at, CASE i.state WHEN 'Open' THEN NULL ELSE i.created_at + interval '1 hour' END,
                   CASE i.state WHEN 'Open' THEN NULL ELSE i.created_at + interval '1 hour' END, '{}', 0, 0, 0, false, false
            FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.incident_id = i.id);
            ANALYZE incidents;
            ANALYZE channels;
            """, connection) { CommandTimeout = 600 };
        await channels.ExecuteNonQueryAsync(ct);
    }

    public static async Task<long> CountAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM incidents", connection);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }
}
