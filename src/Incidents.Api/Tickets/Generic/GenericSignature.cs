using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Incidents.Tickets.Generic;

/// <summary>
/// The signature of docs/generic-webhook.md, used both ways (webhooks to us, callbacks from us):
/// <c>X-Incidents-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{payload}"))</c> with the unix-seconds
/// <c>X-Incidents-Timestamp</c>. The payload is the raw request body, or the raw query string of a GET. Several
/// comma-separated values may be sent (secret rotation); one that matches is enough.
/// </summary>
internal static class GenericSignature
{
    public const string TimestampHeader = "X-Incidents-Timestamp";
    public const string SignatureHeader = "X-Incidents-Signature";
    public const string DeliveryHeader = "X-Incidents-Delivery";
    public const string Scheme = "v1=";

    /// <summary>More values than a rotation needs are not looked at (bounds the work an unsigned request can cause).</summary>
    private const int MaxValues = 8;

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> payload)
    {
        Span<byte> mac = stackalloc byte[32];
        Compute(secret, timestamp.ToString(CultureInfo.InvariantCulture), payload, mac);
        return Scheme + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// True when the timestamp is within <paramref name="window"/> of <paramref name="now"/> (either way) and one of the
    /// <c>v1=</c> values is the HMAC of <c>{timestamp}.{payload}</c>, compared in constant time.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> payload, DateTimeOffset now, TimeSpan window)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(signatureHeader) || !TryTimestamp(timestampHeader, out var timestamp))
        {
            return false;
        }
        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (age.Duration() > window)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        Compute(secret, timestampHeader!, payload, expected); // the header's own text is what the sender signed
        Span<byte> given = stackalloc byte[32];
        var matched = false;
        var values = 0;
        foreach (var range in signatureHeader.AsSpan().Split(','))
        {
            if (++values > MaxValues)
            {
                break;
            }
            var value = signatureHeader.AsSpan()[range].Trim();
            if (value.Length == Scheme.Length + 64 && value.StartsWith(Scheme, StringComparison.Ordinal)
                && Convert.FromHexString(value[Scheme.Length..], given, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, given);
            }
        }
        return matched;
    }

    /// <summary>Unix seconds: 1 to 12 ASCII digits, nothing else.</summary>
    public static bool TryTimestamp(string? header, out long timestamp)
    {
        timestamp = 0;
        return header is { Length: > 0 and <= 12 } && header.All(char.IsAsciiDigit)
            && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp)
            && timestamp <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    }

    private static void Compute(string secret, string timestamp, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp + "."));
        hmac.AppendData(payload);
        hmac.GetHashAndReset(mac);
    }
}
