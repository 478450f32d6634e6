using System.Globalization;
using System.Text;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// Simple HTML for ticket systems that store sanitised HTML (Zammad articles): only <c>p br pre code strong em a
/// blockquote hr span table thead tbody tr th td</c>, no attributes but a link's, and the markup written exactly as a
/// libxml2-based sanitizer serialises it back (see <see cref="HtmlText"/>; block containers hold a line break before,
/// between and after their children, as libxml2's formatting serializer would insert them). Marker lines are
/// visible paragraphs, because sanitizers drop HTML comments. Message texts are Rocket.Chat Markdown: fenced code
/// becomes <c>&lt;pre&gt;&lt;code&gt;</c>, everything else is shown as written.
/// </summary>
internal sealed class HtmlMarkup(string? webAppPrefix = null) : TicketMarkup
{
    /// <summary>File rows per manifest table; each table is one line (a few thousand characters), so a manifest split between parts never cuts one.</summary>
    private const int FilesPerTable = 25;

    private const string CodeOpen = "<pre><code>";
    private const string CodeClose = "</code></pre>";

    private readonly HtmlText _html = new(webAppPrefix);

    public override string Name => "html";

    public override (string MediaType, string Extension) File => ("text/html", "html");

    public override string MarkerLine(string marker) => $"<p>{_html.Text(marker)}</p>";

    public override string Header(TranscriptHeader m, int part, int parts) => string.Create(CultureInfo.InvariantCulture,
        $"<p><strong>Chat transcript of <code>{_html.Text("#" + m.Channel)}</code> (part {part} of {parts})</strong></p>\n" +
        $"<p><strong>Ticket:</strong> {_html.Link(m.TicketUrl, m.TicketTitle)}<br><strong>Period:</strong> {_html.Text(Period(m))}<br>" +
        $"<strong>Messages:</strong> {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)<br>" +
        $"<strong>Participants:</strong> {_html.Text(People(m.Participants))}</p>\n");

    public override string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = Stamp(m.Timestamp);
        if (m.IsSystem)
        {
            return $"<p>{_html.Text(prefix)}<code>{ts}</code> <em>{_html.Text(SystemText(m))}</em></p>\n";
        }
        var sb = new StringBuilder();
        sb.Append("<p>").Append(_html.Text(prefix)).Append("<code>").Append(ts).Append("</code> <strong>@").Append(_html.Text(m.Username)).Append("</strong>");
        if (EditedText(m) is { } edited)
        {
            sb.Append(" <em>").Append(_html.Text(edited)).Append("</em>");
        }
        if (m.Pinned)
        {
            sb.Append(" 📌 pinned");
        }
        sb.Append("</p>\n");
        foreach (var (isCode, _, text) in Segments(m.Text))
        {
            if (isCode)
            {
                sb.Append(CodeOpen);
                HtmlText.AppendEscaped(sb, text);
                sb.Append(CodeClose).Append('\n');
            }
            else if (text.Length > 0)
            {
                sb.Append("<p>").Append(string.Join("<br>", text.Split('\n').Select(_html.Text))).Append("</p>\n");
            }
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append("<p>📎 ").Append(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{_html.Link(kept.Link, f.Name)} ({kept.Size} bytes, sha256 <code>{kept.Sha256[..12]}…</code>)")
                : $"{_html.Text(f.Name)} (file not kept)").Append("</p>\n");
        }
        foreach (var a in m.Attachments ?? [])
        {
            var title = a.Title ?? a.AuthorName ?? "attachment";
            var link = a.TitleLink ?? a.MessageLink;
            sb.Append("<blockquote>\n<p>").Append(link is null ? _html.Text(title) : _html.Link(link, title));
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append(": ").Append(_html.Text(a.Text.ReplaceLineEndings(" ")));
            }
            sb.Append("</p>\n</blockquote>\n");
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            sb.Append("<blockquote>\n<p>🔗 ").Append(_html.Link(l.Url, l.Title!)).Append("</p>\n</blockquote>\n");
        }
        if (ReactionsText(m) is { } reactions)
        {
            sb.Append("<p>").Append(_html.Text(reactions)).Append("</p>\n");
        }
        return sb.ToString();
    }

    public override string Reply(string block) => "<blockquote>\n" + block + "</blockquote>\n";

    public override string NoMessages => "<p><em>The channel had no messages.</em></p>\n";

    public override string Rule => "<hr>\n";

    public override string Manifest(TranscriptManifest m)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("<p><strong>Transcript manifest</strong></p>\n");
        sb.Append(inv, $"<p><strong>Messages:</strong> {m.MessageCount} ({m.ThreadCount} threads)<br>");
        sb.Append(inv, $"<strong>Period:</strong> {_html.Text(Period(m))}<br>");
        sb.Append(inv, $"<strong>Participants:</strong> {_html.Text(People(m.Participants))}<br>");
        sb.Append(inv, $"<strong>Files:</strong> {m.Files.Count} ({m.FileBytes} bytes)<br>");
        sb.Append(inv, $"<strong>JSON SHA-256:</strong> <code>{m.JsonSha256}</code></p>\n");
        foreach (var chunk in m.Files.Chunk(FilesPerTable))
        {
            // One line per table, its tags separated by spaces (which, like line breaks, keep libxml2's formatting
            // serializer from inserting any): a manifest split between parts is split between tables, never in one.
            sb.Append("<table> <thead> <tr> <th>file</th> <th>size (bytes)</th> <th>sha256</th> </tr> </thead> <tbody>");
            foreach (var f in chunk)
            {
                sb.Append(inv, $" <tr> <td>{_html.Text(f.Name)}</td> <td>{f.Size}</td> <td>{(f.Sha256.Length == 0 ? "not kept" : $"<code>{f.Sha256}</code>")}</td> </tr>");
            }
            sb.Append(" </tbody> </table>\n");
        }
        sb.Append(CodeOpen);
        HtmlText.AppendEscaped(sb, m.ToJson());
        return sb.Append(CodeClose).Append('\n').ToString();
    }

    /// <summary>The manifest JSON is the last <c>&lt;pre&gt;&lt;code&gt;</c> block.</summary>
    public override TranscriptManifest? ReadManifest(string text)
    {
        var open = text.LastIndexOf(CodeOpen, StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }
        var close = text.IndexOf(CodeClose, open, StringComparison.Ordinal);
        return close < 0 ? null : TranscriptManifest.FromJson(HtmlText.Unescape(text[(open + CodeOpen.Length)..close]));
    }
}
