using System.Security.Cryptography;
using System.Text;

namespace Incidents.Incidents;

/// <summary>
/// Deterministic channel names valid under Rocket.Chat's default rule <c>[0-9a-zA-Z-_.]+</c>:
/// "inc-" + a slug of the ticket's display name, a short hash of its canonical key (so two tickets
/// never share a name even when their slugs collide) and the period number for reopened tickets.
/// </summary>
internal static class ChannelName
{
    public const int MaxLength = 64;

    public static string For(Incident incident, int period) => For(incident.TicketRef, incident.TicketKey, period);

    public static string For(string display, string ticketKey, int period)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ticketKey)))[..8];
        var suffix = period > 1 ? $"-{hash}-r{period}" : $"-{hash}";
        var slug = Slug(display);
        var room = MaxLength - "inc-".Length - suffix.Length;
        if (slug.Length > room)
        {
            slug = slug[..room].TrimEnd('-');
        }
        return $"inc-{slug}{suffix}";
    }

    private static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0 && sb[^1] != '-' && !IsCombining(c))
            {
                sb.Append('-');
            }
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "ticket" : slug;
    }

    private static bool IsCombining(char c) =>
        char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark;
}
