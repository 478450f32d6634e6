using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Incidents.Benchmarks.Floor;

/// <summary><c>POST /webhooks/github</c>: body → constant-time HMAC-SHA256 check of <c>X-Hub-Signature-256</c> → INSERT → 202.</summary>
internal sealed class FloorReceiver(FloorStore store, string secret)
{
    private const int MaxBody = 1024 * 1024;
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken ct)
    {
        var deliveryId = request.Headers["X-GitHub-Delivery"].ToString();
        var signature = request.Headers["X-Hub-Signature-256"].ToString();
        if (deliveryId.Length == 0 || signature.Length != 71 || !signature.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var length = (int)(request.ContentLength ?? MaxBody);
        if (length > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(filled), ct)) > 0)
            {
                filled += read;
            }

            if (!Verify(buffer.AsSpan(0, filled), signature))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            var stored = await store.InsertAsync(deliveryId, Encoding.UTF8.GetString(buffer, 0, filled), ct);
            return Results.StatusCode(stored ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Verify(ReadOnlySpan<byte> body, string header)
    {
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key, body, expected);
        Span<byte> given = stackalloc byte[32];
        return Convert.FromHexString(header.AsSpan(7), given, out _, out var written) == OperationStatus.Done && written == 32
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
