using Npgsql;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>Read-only queries a campaign checks the service's own state with.</summary>
internal sealed class Database(string connectionString)
{
    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows in deliveries, incidents and outbox.</summary>
    public async Task<(long Deliveries, long Incidents, long Outbox)> RowCountsAsync(CancellationToken ct) =>
        (await ScalarAsync("SELECT count(*) FROM deliveries", ct), await ScalarAsync("SELECT count(*) FROM incidents", ct), await ScalarAsync("SELECT count(*) FROM outbox", ct));

    /// <summary>Outbox rows still to run, dead rows, and channels not yet removed.</summary>
    public async Task<Progress> ProgressAsync(CancellationToken ct) => new(
        await ScalarAsync("SELECT count(*) FROM outbox WHERE done_at IS NULL AND dead_at IS NULL", ct),
        await ScalarAsync("SELECT count(*) FROM outbox WHERE dead_at IS NOT NULL", ct),
        await ScalarAsync("SELECT count(*) FROM channels WHERE status <> 'Removed'", ct),
        await ScalarAsync("SELECT count(*) FROM channels", ct));

    /// <summary>Every channel with its ticket: (ticket ref, channel id, period, name, status).</summary>
    public async Task<List<ChannelRow>> ChannelsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT i.ticket_ref, c.id, c.period, c.name, c.status
            FROM channels c JOIN incidents i ON i.id = c.incident_id ORDER BY i.ticket_ref, c.period
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<ChannelRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new ChannelRow(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4)));
        }

        return rows;
    }

    /// <summary>How many of these delivery ids are not in the deliveries table.</summary>
    public async Task<int> MissingDeliveriesAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT delivery_id FROM deliveries WHERE source = 'github'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            stored.Add(reader.GetString(0));
        }

        return ids.Count(id => !stored.Contains(id));
    }

    /// <summary>Unfinished outbox rows leased by a process id (the lease owner is "machine/pid/guid").</summary>
    public Task<long> LeasedByPidAsync(int pid, CancellationToken ct) =>
        ScalarAsync($"SELECT count(*) FROM outbox WHERE done_at IS NULL AND lease_owner LIKE '%/{pid}/%'", ct);

    internal sealed record Progress(long Pending, long Dead, long ChannelsNotRemoved, long Channels);

    internal sealed record ChannelRow(string TicketRef, Guid Id, int Period, string Name, string Status);
}
