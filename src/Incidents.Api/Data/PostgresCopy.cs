using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Incidents.Data;

/// <summary>
/// PostgreSQL: inserts rows of one entity type with binary <c>COPY</c>, in the context's current transaction. Tables,
/// columns, value conversions and store types come from the EF model, so a row is written exactly as an EF
/// <c>INSERT</c> would write it; columns the database generates (identity, <c>xmin</c>) are left to the database.
/// Used where many rows are inserted at once: it costs a fraction of EF's per-row command building.
/// </summary>
internal static partial class PostgresCopy
{
    private static readonly ConcurrentDictionary<IEntityType, Layout> Layouts = new();

    public static async Task WriteAsync<T>(DbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var layout = Layouts.GetOrAdd(db.Model.FindEntityType(typeof(T))!, Describe);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var copy = await connection.BeginBinaryImportAsync(layout.Command, ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var column in layout.Columns)
            {
                var value = column.Getter.GetClrValue(row);
                if (value is not null && column.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                if (value is null)
                {
                    await copy.WriteNullAsync(ct);
                }
                else
                {
                    // timestamptz takes UTC only; the instant is the same.
                    await copy.WriteAsync(value is DateTimeOffset at ? at.ToUniversalTime() : value, column.StoreType, ct);
                }
            }
        }
        await copy.CompleteAsync(ct);
    }

    private static Layout Describe(IEntityType type)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = type.GetProperties()
            .Where(p => p.ValueGenerated != ValueGenerated.OnAddOrUpdate
                && NpgsqlPropertyExtensions.GetValueGenerationStrategy(p) is not (NpgsqlValueGenerationStrategy.IdentityAlwaysColumn
                    or NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.SerialColumn))
            .Select(p =>
            {
                var mapping = p.GetRelationalTypeMapping();
                return new Column(p, p.GetGetter(), mapping.Converter, Facets().Replace(mapping.StoreType, ""));
            })
            .ToList();
        var names = string.Join(", ", columns.Select(c => $"\"{c.Property.GetColumnName(table)}\""));
        var qualified = table.Schema is null ? $"\"{table.Name}\"" : $"\"{table.Schema}\".\"{table.Name}\"";
        return new Layout($"COPY {qualified} ({names}) FROM STDIN (FORMAT BINARY)", columns);
    }

    private sealed record Layout(string Command, IReadOnlyList<Column> Columns);

    private sealed record Column(IProperty Property, IClrPropertyGetter Getter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, string StoreType);

    /// <summary>"character varying(64)" → "character varying": COPY names the type, the length is the column's business.</summary>
    [GeneratedRegex(@"\(\d+(,\s*\d+)?\)")]
    private static partial Regex Facets();
}
