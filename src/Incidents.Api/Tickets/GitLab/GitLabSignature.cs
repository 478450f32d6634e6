using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Incidents.Tickets.GitLab;

/// <summary>
/// GitLab's two ways of proving a delivery (ticket-systems.md §3): the secret token, sent verbatim in
/// <c>X-Gitlab-Token</c>, and the optional signing token, which signs the delivery the Standard Webhooks way
/// (<c>webhook-signature: v1,&lt;base64 HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}"&gt;</c>).
/// Every comparison takes the same time whatever the inputs.
/// </summary>
internal static class GitLabSignature
{
    public const string SigningTokenPrefix = "whsec_";

    /// <summary>How far a signed delivery's timestamp may be from our clock, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Whether the <c>X-Gitlab-Token</c> header is the configured secret (hashed first, so not even the length leaks).</summary>
    public static bool TokenMatches(string configured, string? header)
    {
        if (string.IsNullOrEmpty(configured) || header is null)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        Span<byte> given = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(configured), expected);
        SHA256.HashData(Encoding.UTF8.GetBytes(header), given);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The HMAC key of a <c>whsec_</c> signing token; null when it is not one.</summary>
    public static byte[]? Key(string? signingToken)
    {
        if (signingToken is null || !signingToken.StartsWith(SigningTokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var key = Convert.FromBase64String(signingToken[SigningTokenPrefix.Length..]);
            return key.Length == 0 ? null : key;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks a Standard Webhooks signature: the timestamp (Unix seconds) must be within <see cref="Tolerance"/> of
    /// <paramref name="now"/>, and one of the space-separated <c>v1,&lt;base64&gt;</c> values must be the HMAC-SHA256 of
    /// <c>"{id}.{timestamp}.{body}"</c> under <paramref name="key"/>.
    /// </summary>
    public static bool SignatureMatches(byte[] key, string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((decimal)seconds - now.ToUnixTimeSeconds()) > (decimal)Tolerance.TotalSeconds)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key))
        {
            hmac.AppendData(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
            hmac.AppendData(body);
            hmac.GetHashAndReset(expected);
        }
        Span<byte> given = stackalloc byte[32];
        var matched = false;
        foreach (var value in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Other versions or malformed values are skipped, never an error: a later value may still match.
            matched |= value.StartsWith("v1,", StringComparison.Ordinal)
                && Convert.TryFromBase64String(value[3..], given, out var written) && written == 32
                && CryptographicOperations.FixedTimeEquals(expected, given);
        }
        return matched;
    }
}
