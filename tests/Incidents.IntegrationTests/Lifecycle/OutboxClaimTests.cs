using System.Text.Json;
using Incidents.Data;
using Incidents.IntegrationTests.Infrastructure;
using Incidents.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Incidents.IntegrationTests.Lifecycle;

/// <summary>
/// The claim must stay cheap with a backlog in a table PostgreSQL has not analysed yet (a burst of webhooks, the
/// catch-up after an outage): per candidate row one index probe, not a scan of every pending row.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxClaimTests(PostgresServer postgres)
{
    private const int Incidents = 400;
    private const int RowsPerIncident = 5;

    [Fact]
    public async Task Claim_WithABacklogOfUnanalysedRows_ProbesAnIndexPerCandidateAndTakesEachIncidentsFirstRow()
    {
        await using var h = await Harness.StartAsync(postgres);
        var due = h.Time.GetUtcNow().AddMinutes(-1);
        var incidents = Enumerable.Range(0, Incidents).Select(i => Guid.CreateVersion7(due.AddMilliseconds(i))).ToList();
        // Rows interleaved the way concurrent webhooks queue them: every incident's open, then every incident's first post, …
        var rows = Enumerable.Range(0, RowsPerIncident).SelectMany(k => incidents.Select(id => new OutboxMessage
        {
            IncidentId = id,
            ChannelId = id,
            Kind = k == 0 ? "open-channel" : "post-message",
            Text = $"step {k}",
            CreatedAt = due,
            DueAt = due.AddMilliseconds(k),
        })).ToList();
        await h.CopyAsync(rows);
        var connectionString = await h.QueryAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT coalesce(analyze_count + autoanalyze_count, 0) FROM pg_stat_user_tables WHERE relname = 'outbox'"));

        await using var transactionForPlan = await connection.BeginTransactionAsync();
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, OutboxProcessor.PostgresClaim, "'test'", "now()", "now()", "8");
        var plan = JsonDocument.Parse(await ScalarAsync<string>(connection, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, transactionForPlan)).RootElement[0];
        var claimed = await ReadIdsAsync(connection, sql, transactionForPlan);
        await transactionForPlan.RollbackAsync();

        // The NOT EXISTS form read every pending row for each candidate here (48,292 buffers); the probe form with an index in
        // the claim's own order stops after the rows it takes (139 buffers when this test was written).
        var buffers = plan.GetProperty("Plan").GetProperty("Shared Hit Blocks").GetInt64();
        Assert.True(buffers < 2_000, $"the claim read {buffers} buffers:\n{plan}");
        var firstRows = await ReadIdsAsync(connection, "SELECT min(id) FROM outbox GROUP BY incident_id", null);
        Assert.Equal(8, claimed.Count);
        Assert.All(claimed, id => Assert.Contains(id, firstRows));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<long>> ReadIdsAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand(sql.Replace("RETURNING *", "RETURNING id", StringComparison.Ordinal), connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }
}
