using System.Security.Cryptography;
using System.Text;

namespace Incidents.Lifecycle;

/// <summary>
/// Deterministic chat message ids (17 characters of Rocket.Chat's id alphabet), so that a retried post
/// carries the same id as the first attempt and is recognised instead of duplicated.
/// </summary>
internal static class MessageId
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";

    public static string For(string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("incidents:" + purpose));
        return string.Create(17, hash, static (span, h) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[h[i] % Alphabet.Length];
            }
        });
    }
}
