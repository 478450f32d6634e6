using System.Net;
using System.Text;

namespace Incidents.Simulators.Zammad;

/// <summary>A minimal HTML tree (elements, text, comments) for the sanitizer model.</summary>
internal sealed class HtmlNode
{
    /// <summary>libxml2's HTML 4 table of inline elements: its formatting serializer breaks lines only around the others.</summary>
    private static readonly HashSet<string> Inline =
    [
        "a", "abbr", "acronym", "b", "basefont", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "font", "i", "iframe", "img",
        "input", "kbd", "label", "map", "object", "q", "s", "samp", "script", "select", "small", "span", "strike", "strong", "sub", "sup",
        "textarea", "tt", "u", "var",
    ];

    private static readonly HashSet<string> Void = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

    /// <summary>Elements that close an open <c>p</c> when they start (libxml2's htmlAutoClose).</summary>
    private static readonly HashSet<string> ClosesParagraph =
    [
        "p", "div", "pre", "table", "blockquote", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "center", "form",
        "fieldset", "menu", "dir", "section", "article", "aside", "header", "footer", "nav", "figure", "details",
    ];

    private HtmlNode(string name, string? text = null)
    {
        Name = name;
        Text = text;
    }

    /// <summary>"#text", "#comment", "#fragment" or the element's lowercase name.</summary>
    public string Name { get; }

    /// <summary>Decoded text of a text or comment node.</summary>
    public string? Text { get; set; }

    public List<KeyValuePair<string, string>> Attributes { get; } = [];

    public List<HtmlNode> Children { get; } = [];

    public HtmlNode? Parent { get; private set; }

    public bool IsText => Name == "#text";

    public bool IsElement => Name[0] != '#';

    public static HtmlNode TextNode(string text) => new("#text", text);

    public static HtmlNode Element(string name) => new(name);

    public string? Attr(string name) => Attributes.FirstOrDefault(a => a.Key == name) is { Key: not null } a ? a.Value : null;

    /// <summary>Sets a value in place, or appends the attribute (Nokogiri's set_attribute).</summary>
    public void SetAttr(string name, string value)
    {
        var i = Attributes.FindIndex(a => a.Key == name);
        if (i >= 0)
        {
            Attributes[i] = new(name, value);
        }
        else
        {
            Attributes.Add(new(name, value));
        }
    }

    public void RemoveAttr(string name) => Attributes.RemoveAll(a => a.Key == name);

    public void Add(HtmlNode child)
    {
        child.Parent = this;
        Children.Add(child);
    }

    /// <summary>Replaces this node by other nodes (its children when unwrapping).</summary>
    public void ReplaceWith(IReadOnlyList<HtmlNode> nodes)
    {
        var parent = Parent!;
        var at = parent.Children.IndexOf(this);
        parent.Children.RemoveAt(at);
        foreach (var node in nodes)
        {
            node.Parent = parent;
        }
        parent.Children.InsertRange(at, nodes);
    }

    public void Remove() => ReplaceWith([]);

    public bool HasAncestor(params string[] names)
    {
        for (var p = Parent; p is not null; p = p.Parent)
        {
            if (names.Contains(p.Name))
            {
                return true;
            }
        }
        return false;
    }

    public string InnerText() => IsText ? Text! : string.Concat(Children.Select(c => c.InnerText()));

    /// <summary>Parses a fragment leniently, as an HTML parser would for the markup a ticket API receives.</summary>
    public static HtmlNode Parse(string html)
    {
        var root = new HtmlNode("#fragment");
        var current = root;
        var i = 0;
        var text = new StringBuilder();
        void Flush()
        {
            if (text.Length > 0)
            {
                current.Add(TextNode(WebUtility.HtmlDecode(text.ToString())));
                text.Clear();
            }
        }
        while (i < html.Length)
        {
            if (html[i] != '<')
            {
                text.Append(html[i++]);
                continue;
            }
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                Flush();
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                var comment = new HtmlNode("#comment", end < 0 ? html[(i + 4)..] : html[(i + 4)..end]);
                current.Add(comment);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }
            var close = i + 1 < html.Length && html[i + 1] == '/';
            var nameStart = close ? i + 2 : i + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] == '-'))
            {
                nameEnd++;
            }
            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                text.Append(html[i++]); // a "<" that starts no tag is text
                continue;
            }
            Flush();
            var name = html[nameStart..nameEnd].ToLowerInvariant();
            var tagEnd = nameEnd;
            var element = Element(name);
            ParseAttributes(html, ref tagEnd, element);
            i = tagEnd;
            if (close)
            {
                for (var open = current; open != root; open = open.Parent!)
                {
                    if (open.Name == name)
                    {
                        current = open.Parent!;
                        break;
                    }
                }
                continue;
            }
            if (ClosesParagraph.Contains(name))
            {
                for (var open = current; open != root; open = open.Parent!)
                {
                    if (open.Name == "p")
                    {
                        current = open.Parent!;
                        break;
                    }
                    if (!Inline.Contains(open.Name))
                    {
                        break;
                    }
                }
            }
            current.Add(element);
            if (name is "script" or "style")
            {
                var end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                element.Add(TextNode(end < 0 ? html[i..] : html[i..end]));
                i = end < 0 ? html.Length : Math.Max(i, html.IndexOf('>', end) + 1);
                if (i == 0)
                {
                    i = html.Length;
                }
                continue;
            }
            if (!Void.Contains(name))
            {
                current = element;
            }
        }
        Flush();
        return root;
    }

    private static void ParseAttributes(string html, ref int i, HtmlNode element)
    {
        while (i < html.Length && html[i] != '>')
        {
            if (char.IsWhiteSpace(html[i]) || html[i] == '/')
            {
                i++;
                continue;
            }
            var start = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/'))
            {
                i++;
            }
            var name = html[start..i].ToLowerInvariant();
            var value = "";
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }
            if (i < html.Length && html[i] == '=')
            {
                i++;
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }
                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var quote = html[i];
                    var end = html.IndexOf(quote, i + 1);
                    value = end < 0 ? html[(i + 1)..] : html[(i + 1)..end];
                    i = end < 0 ? html.Length : end + 1;
                }
                else
                {
                    var vs = i;
                    while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }
                    value = html[vs..i];
                }
            }
            if (name.Length > 0 && element.Attr(name) is null)
            {
                element.Attributes.Add(new(name, WebUtility.HtmlDecode(value)));
            }
        }
        i = Math.Min(i + 1, html.Length);
    }

    /// <summary>
    /// Serialises like libxml2's HTML serializer with formatting (Nokogiri's <c>to_html</c>): text escapes
    /// <c>&amp; &lt; &gt;</c>, attribute values <c>&amp; &lt; &gt; "</c>, an href is URI-escaped, void elements have no
    /// end tag, and a line break goes after the start tag, between children and before the end tag of a block element
    /// (not a <c>p…</c>) wherever no text node stands there.
    /// </summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        WriteChildren(sb);
        return sb.ToString();
    }

    private void WriteChildren(StringBuilder sb)
    {
        for (var i = 0; i < Children.Count; i++)
        {
            Children[i].Write(sb, i + 1 < Children.Count ? Children[i + 1] : null);
        }
    }

    private void Write(StringBuilder sb, HtmlNode? next)
    {
        switch (Name)
        {
            case "#text":
                sb.Append(Escape(Text!, attribute: false));
                return;
            case "#comment":
                sb.Append("<!--").Append(Text).Append("-->");
                return;
        }
        sb.Append('<').Append(Name);
        foreach (var (key, value) in Attributes)
        {
            var v = key is "href" or "src" or "action" || (key == "name" && Name == "a") ? UriEscape(value) : value;
            sb.Append(' ').Append(key).Append("=\"").Append(Escape(v, attribute: true)).Append('"');
        }
        sb.Append('>');
        if (Void.Contains(Name))
        {
            BreakAfter(sb, next);
            return;
        }
        var block = !Inline.Contains(Name) && Name[0] != 'p';
        if (block && Children.Count > 1 && !Children[0].IsText)
        {
            sb.Append('\n');
        }
        WriteChildren(sb);
        if (block && Children.Count > 1 && !Children[^1].IsText)
        {
            sb.Append('\n');
        }
        sb.Append("</").Append(Name).Append('>');
        BreakAfter(sb, next);
    }

    private void BreakAfter(StringBuilder sb, HtmlNode? next)
    {
        if (!Inline.Contains(Name) && next is { IsText: false } && Parent!.Name[0] != 'p')
        {
            sb.Append('\n');
        }
    }

    private static string Escape(string text, bool attribute)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when attribute => "&quot;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>libxml2 escapes every byte of a URI attribute outside its unreserved set and "@/:=?;#%&amp;,+&lt;&gt;".</summary>
    private static string UriEscape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value.TrimStart(' ', '\t', '\n', '\r')))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-_.!~*'()@/:=?;#%&,+<>".Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
