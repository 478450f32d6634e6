using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Incidents.Transcripts;

/// <summary>
/// Unguessable, expiring links to transcript files kept by the service:
/// <c>/transcripts/{channel}/files/{file}?expires={unix seconds}&amp;sig={HMAC-SHA256 hex}</c>.
/// </summary>
internal sealed class FileLinks(IOptions<TranscriptOptions> options, TimeProvider time)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.SigningKey);

    public string For(Guid channelId, string fileId)
    {
        var expires = (time.GetUtcNow() + options.Value.LinkLifetime).ToUnixTimeSeconds();
        var path = $"transcripts/{channelId:N}/files/{Uri.EscapeDataString(fileId)}";
        var baseUrl = options.Value.PublicUrl!.ToString().TrimEnd('/') + "/";
        return string.Create(CultureInfo.InvariantCulture, $"{baseUrl}{path}?expires={expires}&sig={Sign(channelId, fileId, expires)}");
    }

    public bool IsValid(Guid channelId, string fileId, long expires, string? sig)
    {
        if (sig is null || sig.Length != 64 || expires < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(channelId, fileId, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig.ToLowerInvariant()));
    }

    private string Sign(Guid channelId, string fileId, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{channelId:N}/{fileId}/{expires}"))));
}
