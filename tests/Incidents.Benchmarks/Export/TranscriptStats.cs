using System.Text.Json;

namespace Incidents.Benchmarks.Export;

/// <summary>
/// Size of a streamed transcript and, for the JSON form, its top-level <c>counts</c> object, read with a
/// resumable <see cref="Utf8JsonReader"/> so the transcript is never held whole.
/// </summary>
internal sealed class TranscriptStats
{
    private JsonReaderState _reader;
    private bool _inCounts;
    private string? _property;
    private bool _done;

    public long Bytes { get; private set; }

    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public static async Task<TranscriptStats> ReadAsync(Stream body, CancellationToken ct)
    {
        var stats = new TranscriptStats();
        var buffer = new byte[64 * 1024];
        var filled = 0;
        while (true)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), ct);
            stats.Bytes += read;
            filled += read;
            if (stats._done)
            {
                filled = 0;
            }
            else
            {
                var consumed = stats.Scan(buffer.AsSpan(0, filled), final: read == 0);
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            if (read == 0)
            {
                return stats;
            }
        }
    }

    private int Scan(ReadOnlySpan<byte> data, bool final)
    {
        var reader = new Utf8JsonReader(data, final, _reader);
        try
        {
            while (!_done && reader.Read())
            {
                if (!_inCounts)
                {
                    _inCounts = reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("counts"u8);
                    continue;
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        _property = reader.GetString();
                        break;
                    case JsonTokenType.Number when _property is not null:
                        Counts[_property] = reader.GetInt64();
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                        _done = true;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (Markdown, HTML): only the size matters.
            _done = true;
        }

        _reader = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }
}
