namespace Incidents.Webhooks;

/// <summary>Reads the exact request bytes (signatures are computed over them), refusing more than a limit.</summary>
internal static class RawBody
{
    /// <returns>The body, or null when it is larger than <paramref name="limit"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
