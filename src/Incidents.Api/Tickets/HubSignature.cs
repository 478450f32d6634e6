using System.Security.Cryptography;
using System.Text;

namespace Incidents.Tickets;

/// <summary>
/// The WebSub-style <c>sha256=&lt;lowercase hex HMAC-SHA256(secret, raw body)&gt;</c> header that GitHub
/// (<c>X-Hub-Signature-256</c>) and Jira (<c>X-Hub-Signature</c>) send, checked in constant time.
/// </summary>
internal static class HubSignature
{
    private const string Prefix = "sha256=";

    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(secret) || header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return false;
        }
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
