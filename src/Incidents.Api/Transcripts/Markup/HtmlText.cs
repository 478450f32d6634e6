using System.Text;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// Text and links written as HTML that a server-side sanitizer leaves exactly as it is (Zammad's
/// <c>HtmlSanitizer.strict</c>: Loofah/libxml2 parse, allow-list, link scrubber, re-serialise), so that a transcript
/// part comes back byte for byte:
/// <list type="bullet">
/// <item>text escapes only <c>&amp; &lt; &gt;</c> (what the serializer writes back); characters an HTML parser drops or
/// rewrites (C0/C1 controls, lone surrogates, non-characters) become U+FFFD and a no-break space a plain space
/// (libxml2 writes it raw, newer serializers as <c>&amp;nbsp;</c>);</item>
/// <item>the link scrubber turns every URL it finds in text (outside <c>a</c> and <c>pre</c>) into a link, so text never
/// holds one: a plain http(s) URL is written as the very link the scrubber keeps, any other "scheme:" is split by an
/// empty <c>span</c> so no text node contains it;</item>
/// <item>a link carries the attributes the scrubber sets, in the order it leaves them: <c>href rel title target</c>
/// (no <c>target</c> for links into the Zammad web app).</item>
/// </list>
/// </summary>
internal sealed class HtmlText(string? webAppPrefix)
{
    public const string Rel = "nofollow noreferrer noopener";

    /// <summary>Ruby's <c>URI.scheme_list</c> without mailto, plus tel: the schemes Zammad's link scrubber links.</summary>
    private static readonly string[] Schemes = ["https", "http", "ftp", "file", "ldaps", "ldap", "wss", "ws", "tel"];

    private static readonly string[] UnsafeProtocols = ["javascript:", "livescript:", "vbscript:", "data:"];

    private readonly string? _webAppPrefix = webAppPrefix?.ToLowerInvariant();

    /// <summary>Escaped text for places the link scrubber does not look into (inside <c>pre</c> or <c>a</c>).</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        AppendEscaped(sb, text);
        return sb.ToString();
    }

    public static void AppendEscaped(StringBuilder sb, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        break; // CRLF: the LF follows
                    }
                    sb.Append('\n');
                    break;
                case '\n' or '\t': sb.Append(c); break;
                case '\u00A0': sb.Append(' '); break;
                case < ' ' or (>= '\u007F' and <= '\u009F') or '\uFFFE' or '\uFFFF': sb.Append('\uFFFD'); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }
                    break;
            }
        }
    }

    /// <summary>Reverses <see cref="Escape"/>'s entities (and the few a sanitizer may write).</summary>
    public static string Unescape(string html) => html
        .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
        .Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&#39;", "'", StringComparison.Ordinal)
        .Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>Escaped text for a place the link scrubber reads (paragraphs, inline code, table cells): URLs become links.</summary>
    public string Text(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        var done = 0;
        for (var colon = text.IndexOf(':', StringComparison.Ordinal); colon >= 0; colon = text.IndexOf(':', Math.Max(colon + 1, done)))
        {
            if (colon < done || SchemeBefore(text, colon) is not { } scheme)
            {
                continue;
            }
            var start = colon - scheme.Length;
            var end = colon + 1;
            while (end < text.Length && IsUriChar(text[end]))
            {
                end++;
            }
            if (end == colon + 1)
            {
                continue; // "tel: 123": the scrubber drops a bare "scheme:" match
            }
            end = TrimTrailing(text, start, end);
            var url = text[start..end];
            AppendEscaped(sb, text.AsSpan(done, start - done));
            if (Href(url) is { } href)
            {
                sb.Append("<a href=\"").Append(href).Append("\" rel=\"").Append(Rel).Append('"').Append(Target(href)).Append('>');
                AppendEscaped(sb, url);
                sb.Append("</a>");
                done = end;
            }
            else
            {
                // Not a link the scrubber keeps as written: break "scheme:" so that no text node holds it.
                AppendEscaped(sb, text.AsSpan(start, colon - start));
                sb.Append("<span></span>");
                done = colon;
            }
        }
        AppendEscaped(sb, text.AsSpan(done));
        return sb.ToString();
    }

    /// <summary>A link with a text of its own; a URL the scrubber would rewrite is shown as text instead.</summary>
    public string Link(string url, string text)
    {
        if (Href(url) is not { } href)
        {
            return Text(text) + " (" + Text(url) + ")";
        }
        var title = url == text ? "" : $" title=\"{href}\"";
        return $"<a href=\"{href}\" rel=\"{Rel}\"{title}{Target(href)}>{Escape(text)}</a>";
    }

    /// <summary>
    /// The escaped href of a URL the link scrubber keeps byte for byte (http or https, lowercase scheme, a plain host,
    /// no default port, only characters no serializer re-escapes); null for any other URL.
    /// </summary>
    public string? Href(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            return null;
        }
        var lower = url.ToLowerInvariant();
        if (UnsafeProtocols.Any(p => lower.Contains(p, StringComparison.Ordinal)))
        {
            return null;
        }
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (!IsHrefChar(c) || (c == '%' && (i + 2 >= url.Length || !char.IsAsciiHexDigit(url[i + 1]) || !char.IsAsciiHexDigit(url[i + 2]))))
            {
                return null;
            }
        }
        var rest = url[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var hostPort = authority[(authority.LastIndexOf('@') + 1)..];
        var portAt = hostPort.IndexOf(':', StringComparison.Ordinal);
        var host = portAt < 0 ? hostPort : hostPort[..portAt];
        if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
        {
            return null;
        }
        if (portAt >= 0)
        {
            var port = hostPort[(portAt + 1)..];
            if (port.Length == 0 || !port.All(char.IsAsciiDigit) || port.TrimStart('0') == (scheme == "http" ? "80" : "443"))
            {
                return null; // Ruby's URI#to_s drops an empty or default port
            }
        }
        var href = scheme + url[schemeEnd..];
        if (_webAppPrefix is not null && href.Contains('?', StringComparison.Ordinal)
            && WebAppHost() is { } zammadHost && string.Equals(host, zammadHost, StringComparison.OrdinalIgnoreCase))
        {
            return null; // the scrubber rewrites the query of links to the Zammad host itself
        }
        return href.Replace("&", "&amp;", StringComparison.Ordinal);
    }

    private string Target(string href) =>
        _webAppPrefix is not null && href.ToLowerInvariant().StartsWith(_webAppPrefix, StringComparison.Ordinal) ? "" : " target=\"_blank\"";

    private string? WebAppHost()
    {
        var afterScheme = _webAppPrefix!.IndexOf("://", StringComparison.Ordinal);
        if (afterScheme < 0)
        {
            return null;
        }
        var rest = _webAppPrefix[(afterScheme + 3)..];
        var end = rest.IndexOfAny(['/', ':', '#']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The longest listed scheme that ends right before <paramref name="colon"/> (Ruby's URI.extract starts its match there).</summary>
    private static string? SchemeBefore(string text, int colon)
    {
        foreach (var scheme in Schemes)
        {
            if (colon >= scheme.Length && text.AsSpan(colon - scheme.Length, scheme.Length).Equals(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return text.Substring(colon - scheme.Length, scheme.Length);
            }
        }
        return null;
    }

    /// <summary>Trailing punctuation stays outside a link (an unbalanced ")" too), as a reader expects.</summary>
    private static int TrimTrailing(string text, int start, int end)
    {
        while (end > start)
        {
            var c = text[end - 1];
            if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' || (c == ')' && Count(text, start, end, '(') < Count(text, start, end, ')')))
            {
                end--;
                continue;
            }
            return end;
        }
        return end;
    }

    private static int Count(string text, int start, int end, char c) => text.AsSpan(start, end - start).Count(c);

    /// <summary>Characters RFC 2396 allows in a URI (with "[", "]" and "#"): a superset of what Ruby's URI.extract takes.</summary>
    private static bool IsUriChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-_.!~*'();/?:@&=+$,[]%#".Contains(c, StringComparison.Ordinal);

    /// <summary>Characters libxml2 leaves unescaped in an href and Loofah's cleanup leaves alone.</summary>
    private static bool IsHrefChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-_.~!'();:@&=+,/?#%".Contains(c, StringComparison.Ordinal);
}
