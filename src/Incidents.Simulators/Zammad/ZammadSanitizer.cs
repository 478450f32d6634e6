using System.Text;
using System.Text.RegularExpressions;

namespace Incidents.Simulators.Zammad;

/// <summary>
/// A model of what Zammad stores for an HTML article body: <c>Ticket::Article</c> is <c>sanitized_html :body</c>, so
/// every HTML body goes through <c>HtmlSanitizer.strict</c> before it is saved (zammad/zammad
/// <c>lib/html_sanitizer/strict.rb</c> and its scrubbers, <c>config/initializers/html_sanitizer.rb</c>):
/// <list type="number">
/// <item><c>style</c> elements are removed, <c>script</c> becomes its text;</item>
/// <item>Wipe (repeated until nothing changes): elements not in the allow-list are replaced by their children,
/// comments disappear, attributes not allowed for the element go, classes outside the three Zammad keeps go, links with
/// script/data protocols lose their href, images with remote sources are removed;</item>
/// <item>Link: URLs in text outside <c>a</c> and <c>pre</c> become links; a link to http(s)/ftp gets
/// <c>rel="nofollow noreferrer noopener"</c>, <c>target="_blank"</c> (not for links into the Zammad web app) and a
/// <c>title</c> with its URL when its text differs; an <c>a</c> without href is unwrapped;</item>
/// <item>the fragment is serialised back as Nokogiri/libxml2 does (see <see cref="HtmlNode.ToHtml"/>).</item>
/// </list>
/// It models the behaviour for well-formed markup; the HTML parser's error recovery is only approximated.
/// </summary>
public static partial class ZammadSanitizer
{
    private static readonly HashSet<string> Tags =
    [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br", "canvas",
        "caption", "center", "cite", "code", "col", "colgroup", "command", "datalist", "dd", "del", "details", "dfn", "dir", "div", "dl", "dt",
        "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "label",
        "legend", "li", "map", "mark", "menu", "meter", "nav", "ol", "output", "optgroup", "option", "p", "pre", "q", "s", "samp", "section",
        "small", "span", "strike", "strong", "sub", "summary", "sup", "text", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "tt", "u", "ul", "var", "video",
    ];

    private static readonly string[] AllElementsAttributes = ["class", "dir", "lang", "title", "translate", "data-signature", "data-signature-id"];

    private static readonly Dictionary<string, string[]> ElementAttributes = new()
    {
        ["a"] = ["href", "hreflang", "name", "rel"],
        ["abbr"] = ["title"],
        ["blockquote"] = ["type", "cite"],
        ["col"] = ["span", "width"],
        ["colgroup"] = ["span", "width"],
        ["del"] = ["cite", "datetime"],
        ["dfn"] = ["title"],
        ["img"] = ["align", "alt", "border", "height", "src", "srcset", "width", "style"],
        ["ins"] = ["cite", "datetime"],
        ["li"] = ["value"],
        ["ol"] = ["reversed", "start", "type"],
        ["table"] = ["align", "bgcolor", "border", "cellpadding", "cellspacing", "frame", "rules", "sortable", "summary", "width", "style"],
        ["td"] = ["abbr", "align", "axis", "colspan", "headers", "rowspan", "valign", "width", "style"],
        ["th"] = ["abbr", "align", "axis", "colspan", "headers", "rowspan", "scope", "sorted", "valign", "width", "style"],
        ["tr"] = ["width", "style"],
        ["ul"] = ["type"],
        ["q"] = ["cite"],
        ["span"] = ["style"],
        ["time"] = ["datetime", "pubdate"],
    };

    private static readonly string[] BoxCss =
    [
        "background", "background-color", "color", "font-size", "vertical-align", "margin", "margin-top", "margin-right", "margin-bottom",
        "margin-left", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left", "text-align", "border", "border-top",
        "border-right", "border-bottom", "border-left", "border-collapse", "border-style", "border-spacing", "border-top-width",
        "border-right-width", "border-bottom-width", "border-left-width", "border-top-color", "border-right-color", "border-bottom-color",
        "border-left-color",
    ];

    private static readonly Dictionary<string, string[]> Css = new()
    {
        ["img"] = ["width", "height", "max-width", "min-width", "max-height", "min-height"],
        ["span"] = ["color"],
        ["table"] = BoxCss,
        ["th"] = BoxCss,
        ["tr"] = BoxCss,
        ["td"] = BoxCss,
    };

    private static readonly string[] Classes = ["js-signatureMarker", "yahoo_quoted", "zammad-table"];

    /// <summary>The body Zammad stores for <paramref name="html"/>; <paramref name="webAppPrefix"/> is "{http_type}://{fqdn}/#".</summary>
    public static string Sanitize(string html, string webAppPrefix)
    {
        var root = HtmlNode.Parse(html);
        Walk(root, node =>
        {
            if (node.Name == "style")
            {
                node.Remove();
            }
            else if (node.Name == "script")
            {
                node.ReplaceWith([HtmlNode.TextNode(node.InnerText())]);
            }
        });
        string before;
        var after = root.ToHtml();
        do
        {
            before = after;
            root = HtmlNode.Parse(before);
            Wipe(root);
            after = root.ToHtml();
        }
        while (after != before);
        root = HtmlNode.Parse(after);
        LinkScrub(root, webAppPrefix.ToLowerInvariant());
        return root.ToHtml();
    }

    private static void Walk(HtmlNode node, Action<HtmlNode> visit)
    {
        foreach (var child in node.Children.ToList())
        {
            Walk(child, visit);
            visit(child);
        }
    }

    private static void Wipe(HtmlNode root) => Walk(root, node =>
    {
        if (node.IsText)
        {
            return;
        }
        if (!node.IsElement || !Tags.Contains(node.Name))
        {
            node.ReplaceWith([.. node.Children]);
            return;
        }
        if (node.Attr("src") is { } src && (Unsafe(src, link: false) || Remote(Cleanup(Uri.UnescapeDataString(src)))))
        {
            node.Remove();
            return;
        }
        if (node.Attr("class") is { } cls)
        {
            var kept = cls.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Where(Classes.Contains).ToList();
            if (kept.Count == 0)
            {
                node.RemoveAttr("class");
            }
            else
            {
                node.SetAttr("class", string.Join(' ', kept));
            }
        }
        foreach (var key in new[] { "width", "height" })
        {
            if (node.Attr(key) is { } value)
            {
                node.RemoveAttr(key);
                if (value.Length > 0 && !(node.Attr("style") ?? "").Split(';').Any(p => p.Split(':')[0].Trim() == key))
                {
                    var style = string.IsNullOrEmpty(node.Attr("style")) ? "" : node.Attr("style") + ";";
                    node.SetAttr("style", style + key + ":" + (Regex.IsMatch(value, "%|px|em", RegexOptions.IgnoreCase) ? value : value + "px"));
                }
            }
        }
        if (node.Attr("style") is { } styleValue)
        {
            var allowed = Css.GetValueOrDefault(node.Name) ?? [];
            var kept = new StringBuilder();
            foreach (var pair in styleValue.ToLowerInvariant().Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)
                         .Replace("\r", "", StringComparison.Ordinal).Split(';'))
            {
                var prop = pair.Split(':')[0].Trim();
                if (prop.Length > 0 && allowed.Contains(prop))
                {
                    kept.Append(pair).Append(';');
                }
            }
            if (kept.Length == 0)
            {
                node.RemoveAttr("style");
            }
            else
            {
                node.SetAttr("style", kept.ToString());
            }
        }
        foreach (var key in new[] { "href", "style" })
        {
            if (node.Attr(key) is { } value && Unsafe(value, link: true))
            {
                node.RemoveAttr(key);
            }
        }
        var element = ElementAttributes.GetValueOrDefault(node.Name) ?? [];
        node.Attributes.RemoveAll(a => !AllElementsAttributes.Contains(a.Key) && !element.Contains(a.Key));
    });

    private static void LinkScrub(HtmlNode node, string webAppPrefix)
    {
        foreach (var child in node.Children.ToList())
        {
            if (child.IsText)
            {
                Autolink(child);
                continue;
            }
            if (!child.IsElement)
            {
                continue;
            }
            if (child.Attr("href") is { } href)
            {
                var cleaned = Normalize(Cleanup(href, keepSpaces: true));
                var compact = Regex.Replace(Uri.UnescapeDataString(cleaned), @"\s", "").ToLowerInvariant();
                if (compact.StartsWith("http", StringComparison.Ordinal) || compact.StartsWith("ftp", StringComparison.Ordinal) || compact.StartsWith("//", StringComparison.Ordinal))
                {
                    child.SetAttr("href", cleaned);
                    child.SetAttr("rel", "nofollow noreferrer noopener");
                    if (!cleaned.ToLowerInvariant().StartsWith(webAppPrefix, StringComparison.Ordinal))
                    {
                        child.SetAttr("target", "_blank");
                    }
                }
                else
                {
                    LinkScrub(child, webAppPrefix);
                    continue;
                }
            }
            if (child.Name == "a" && string.IsNullOrEmpty(child.Attr("href")))
            {
                child.ReplaceWith([.. child.Children]);
                continue;
            }
            if (child.Name == "a" && !UrlSame(child.Attr("href")!, child.InnerText()) && string.IsNullOrEmpty(child.Attr("title")))
            {
                child.SetAttr("title", child.Attr("href")!);
            }
            LinkScrub(child, webAppPrefix);
        }
    }

    /// <summary>URLs in a text node outside <c>a</c>/<c>pre</c> become links (Ruby's URI.extract, trailing "." or "," left out).</summary>
    private static void Autolink(HtmlNode text)
    {
        var content = text.Text!;
        if (!content.Contains(':', StringComparison.Ordinal) || text.HasAncestor("a", "pre"))
        {
            return;
        }
        var nodes = new List<HtmlNode>();
        var done = 0;
        foreach (Match m in ExtractRegex().Matches(content))
        {
            var url = m.Value;
            if (url.EndsWith('.') || url.EndsWith(','))
            {
                url = url[..^1];
            }
            if (Regex.IsMatch(url, "^[^:]+:$"))
            {
                continue;
            }
            if (m.Index > done)
            {
                nodes.Add(HtmlNode.TextNode(content[done..m.Index]));
            }
            var a = HtmlNode.Element("a");
            a.Attributes.Add(new("href", url.StartsWith("www", StringComparison.OrdinalIgnoreCase) ? "http://" + url : url));
            a.Attributes.Add(new("rel", "nofollow noreferrer noopener"));
            a.Attributes.Add(new("target", "_blank"));
            a.Add(HtmlNode.TextNode(url));
            nodes.Add(a);
            done = m.Index + url.Length;
        }
        if (nodes.Count == 0)
        {
            return;
        }
        if (done < content.Length)
        {
            nodes.Add(HtmlNode.TextNode(content[done..]));
        }
        text.ReplaceWith(nodes);
    }

    /// <summary>Ruby's <c>URI(url).to_s</c>: lowercase scheme, no empty or default port; unparseable URLs stay as they are.</summary>
    private static string Normalize(string url)
    {
        var m = AbsoluteUrl().Match(url);
        if (!m.Success)
        {
            return url;
        }
        var scheme = m.Groups["scheme"].Value.ToLowerInvariant();
        var port = m.Groups["port"].Value;
        var keepPort = port.Length > 0 && int.TryParse(port, out var p) && p != (scheme == "http" ? 80 : scheme == "https" ? 443 : scheme == "ftp" ? 21 : -1);
        return $"{scheme}://{m.Groups["userinfo"].Value}{m.Groups["host"].Value}{(keepPort ? ":" + int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : "")}{m.Groups["rest"].Value}";
    }

    private static bool UrlSame(string a, string b)
    {
        static string Build(string input) => System.Net.WebUtility.HtmlDecode(Regex.Replace(Uri.UnescapeDataString(input).ToLowerInvariant().TrimEnd('/'), @"\s", ""))
            .Replace("/?", "?", StringComparison.Ordinal);
        var (x, y) = (Build(a), Build(b));
        return x == y || y == "http://" + x || x == "http://" + y || y == "https://" + x || x == "https://" + y;
    }

    private static string Cleanup(string value, bool keepSpaces = false)
    {
        var s = keepSpaces ? value : Regex.Replace(value, @"\s", "");
        s = s.Trim().Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal)
            .Replace("\0", "", StringComparison.Ordinal);
        return CommentsInUrl().Replace(s, "");
    }

    private static bool Unsafe(string value, bool link) =>
        Regex.IsMatch(Cleanup(value), link ? "(javascript|livescript|vbscript|data):" : "(javascript|livescript|vbscript):", RegexOptions.IgnoreCase);

    private static bool Remote(string src)
    {
        var s = src.ToLowerInvariant();
        return s.StartsWith("http://", StringComparison.Ordinal) || s.StartsWith("https://", StringComparison.Ordinal)
            || s.StartsWith("ftp://", StringComparison.Ordinal) || s.StartsWith("//", StringComparison.Ordinal);
    }

    /// <summary>
    /// An absolute URI (RFC 2396 characters) starting at one of the linkable schemes — Ruby's <c>URI.scheme_list</c>
    /// without mailto, plus tel — as URI.extract finds it.
    /// </summary>
    [GeneratedRegex(@"(?i:file|ftp|https|http|ldaps|ldap|wss|ws|tel):[A-Za-z0-9\-_.!~*'();/?:@&=+$,\[\]%#]*")]
    private static partial Regex ExtractRegex();

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?<userinfo>[^@/?#\[\]]*@)?(?<host>[A-Za-z0-9.\-]+)(?::(?<port>[0-9]*))?(?<rest>[/?#][A-Za-z0-9\-_.~!$&'()*+,;=:@/?#%]*)?$")]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex(@"/\*.*?\*/|<!--.*?-->")]
    private static partial Regex CommentsInUrl();
}
