using Npgsql;
using NpgsqlTypes;

namespace Incidents.Benchmarks.Floor;

/// <summary>One INSERT per delivery (delivery id unique, body as text) over a pooled connection.</summary>
internal sealed class FloorStore(NpgsqlDataSource dataSource)
{
    public static async Task CreateTableAsync(NpgsqlDataSource dataSource)
    {
        await using var create = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS floor_deliveries (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                delivery_id varchar(256) NOT NULL UNIQUE,
                body text NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now())
            """);
        await create.ExecuteNonQueryAsync();
    }

    /// <returns>False when the delivery id was stored before (a redelivery).</returns>
    public async Task<bool> InsertAsync(string deliveryId, string body, CancellationToken ct)
    {
        await using var insert = dataSource.CreateCommand("INSERT INTO floor_deliveries (delivery_id, body) VALUES ($1, $2) ON CONFLICT (delivery_id) DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter { Value = deliveryId, NpgsqlDbType = NpgsqlDbType.Varchar });
        insert.Parameters.Add(new NpgsqlParameter { Value = body, NpgsqlDbType = NpgsqlDbType.Text });
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }
}
