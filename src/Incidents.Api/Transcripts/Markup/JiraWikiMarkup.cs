using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// Jira wiki markup (REST API v2 on Cloud and Data Center). Text from the chat is escaped with a backslash where Jira's
/// renderer would read markup (see <see cref="Escape"/>; the characters are from its <c>BackslashEscapeRendererComponent</c>
/// set), backslashes themselves become <c>&amp;#92;</c> (a doubled backslash is a line break in wiki markup) and a line
/// that would start a heading or a quote gets its dot as <c>&amp;#46;</c>. Code from the chat goes into <c>{code:lang}</c> for languages Jira
/// highlights and <c>{noformat}</c> otherwise. Wiki markup has no hidden text: marker lines are visible, in grey.
/// </summary>
internal sealed partial class JiraWikiMarkup : TicketMarkup
{
    public static readonly JiraWikiMarkup Instance = new();

    /// <summary>Languages Jira's {code} macro highlights; any other fence becomes {noformat} (no "unknown language" panel).</summary>
    private static readonly HashSet<string> CodeLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        "actionscript", "ada", "applescript", "bash", "c", "c#", "c++", "cpp", "css", "erlang", "go", "groovy", "haskell",
        "html", "java", "javascript", "js", "json", "lua", "nyan", "objc", "perl", "php", "python", "r", "ruby", "scala",
        "sh", "sql", "swift", "visualbasic", "xml", "yaml",
    };

    public override string Name => "jira-wiki";

    public override string MarkerLine(string marker) => "{color:#97a0af}" + marker + "{color}";

    public override string Header(TranscriptHeader m, int part, int parts) => string.Create(CultureInfo.InvariantCulture,
        $"h3. Chat transcript of #{Escape(m.Channel)} (part {part} of {parts})\n" +
        $"*Ticket:* {Link(m.TicketTitle, m.TicketUrl)}\n*Period:* {Period(m)}\n" +
        $"*Messages:* {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)\n*Participants:* {Names(m.Participants)}\n\n");

    public override string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = Stamp(m.Timestamp);
        if (m.IsSystem)
        {
            return $"{prefix}{{{{{ts}}}}} _{Escape(SystemText(m).ReplaceLineEndings(" "))}_\n\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{prefix}{{{{{ts}}}}} *@{Escape(m.Username)}*");
        if (m.EditedAt is { } editedAt)
        {
            sb.Append(" _(edited").Append(m.EditedBy is null ? "" : " by @" + Escape(m.EditedBy)).Append(' ').Append(Stamp(editedAt)).Append(")_");
        }
        if (m.Pinned)
        {
            sb.Append(" 📌 pinned");
        }
        sb.Append('\n');
        if (m.Text.Length > 0)
        {
            foreach (var (isCode, language, text) in Segments(m.Text))
            {
                sb.Append(isCode ? Code(language, text) : EscapeLines(text)).Append('\n');
            }
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"📎 {Link(f.Name, kept.Link)} ({kept.Size} bytes, sha256 {{{{{kept.Sha256[..12]}}}}}…)\n")
                : $"📎 {Escape(f.Name.ReplaceLineEndings(" "))} (file not kept)\n");
        }
        foreach (var a in m.Attachments ?? [])
        {
            sb.Append("bq. ").Append(Link(a.Title ?? a.AuthorName ?? "attachment", a.TitleLink ?? a.MessageLink));
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append(": ").Append(Escape(a.Text.ReplaceLineEndings(" ")));
            }
            sb.Append('\n');
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            sb.Append("bq. 🔗 ").Append(Link(l.Title!, l.Url)).Append('\n');
        }
        if (ReactionsText(m) is { } reactions)
        {
            sb.Append(Escape(reactions)).Append('\n');
        }
        return sb.Append('\n').ToString().ReplaceLineEndings("\n");
    }

    /// <summary>Replies keep their "↳" lead; a {quote} around them could be closed early by a quote tag inside their code.</summary>
    public override string Reply(string block) => block;

    public override string NoMessages => "_The channel had no messages._\n\n";

    public override string Rule => "----\n\n";

    public override string Manifest(TranscriptManifest m)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("h4. Transcript manifest\n\n");
        sb.Append(inv, $"*Messages:* {m.MessageCount} ({m.ThreadCount} threads)\n");
        sb.Append(inv, $"*Period:* {Period(m)}\n");
        sb.Append(inv, $"*Participants:* {Names(m.Participants)}\n");
        sb.Append(inv, $"*Files:* {m.Files.Count} ({m.FileBytes} bytes)\n");
        sb.Append(inv, $"*JSON SHA-256:* {{{{{m.JsonSha256}}}}}\n\n");
        if (m.Files.Count > 0)
        {
            sb.Append("||file||size (bytes)||sha256||\n");
            foreach (var f in m.Files)
            {
                sb.Append(inv, $"|{Escape(f.Name.ReplaceLineEndings(" "))}|{f.Size}|{(f.Sha256.Length == 0 ? "not kept" : $"{{{{{f.Sha256}}}}}")}|\n");
            }
            sb.Append('\n');
        }
        // "{code" can only occur inside a JSON string (a structural brace ends its line): written as \u007B it cannot end the block.
        var json = CodeTag().Replace(m.ToJson(), "\\u007B$1");
        return sb.Append("{code:json}\n").Append(json).Append("\n{code}\n").ToString();
    }

    /// <summary>The manifest JSON is the last <c>{code:json}</c> block.</summary>
    public override TranscriptManifest? ReadManifest(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var open = Array.FindLastIndex(lines, l => l == "{code:json}");
        if (open < 0)
        {
            return null;
        }
        var close = Array.IndexOf(lines, "{code}", open + 1);
        return close < 0 ? null : TranscriptManifest.FromJson(string.Join('\n', lines[(open + 1)..close]));
    }

    /// <summary>
    /// Text shown literally, escaped with a backslash where Jira's renderer would read markup: macro, link, table and
    /// image characters (<c>{ } [ ] | !</c>) and <c>#</c> always; the text-effect characters (<c>* _ - + ^ ~</c>) unless they
    /// sit inside a word (Jira's effects never start or end there, so "2026-03-01" and "snake_case" stay as they are);
    /// <c>??</c> (citation) and emoticon parentheses. Backslashes become the entity <c>&amp;#92;</c>. A URL stays as written
    /// so Jira still links it (it recognises links before text effects) unless it holds a character that could end a link.
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        var urlEnd = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (i > urlEnd && text[i] == 'h' && (i == 0 || !char.IsLetterOrDigit(text[i - 1])) && Url().Match(text, i) is { Success: true, Index: var at } url && at == i)
            {
                urlEnd = i + url.Length - 1;
            }
            var c = text[i];
            if (i <= urlEnd)
            {
                sb.Append(c);
                continue;
            }
            if (c == '\\')
            {
                sb.Append("&#92;");
                continue;
            }
            var before = i > 0 ? text[i - 1] : ' ';
            var after = i + 1 < text.Length ? text[i + 1] : ' ';
            var escape = c switch
            {
                '{' or '}' or '[' or ']' or '|' or '!' or '#' => true,
                '*' or '_' or '-' or '+' or '^' or '~' => !(char.IsLetterOrDigit(before) && char.IsLetterOrDigit(after)),
                '?' => before == '?' || after == '?',
                '(' => before is ':' or ';' || Emoticon().IsMatch(text, i),
                ')' => before is ':' or ';',
                _ => false,
            };
            if (escape)
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Prose lines: escaped, and a line that would start a heading or a quote ("h3. ", "bq. ") loses that meaning.</summary>
    private static string EscapeLines(string text) =>
        string.Join('\n', text.Split('\n').Select(line => BlockStart().Replace(Escape(line), "$1&#46;")));

    /// <summary>A code block whose closing tag cannot occur inside it; code holding both tags is shown as escaped text.</summary>
    private static string Code(string? info, string code)
    {
        var language = (info ?? "").Split([' ', '\t'], 2)[0];
        var hasCode = code.Contains("{code", StringComparison.OrdinalIgnoreCase);
        var hasNoformat = code.Contains("{noformat", StringComparison.OrdinalIgnoreCase);
        if (CodeLanguages.Contains(language) && !hasCode)
        {
            return $"{{code:{language.ToLowerInvariant()}}}\n{code}\n{{code}}";
        }
        if (!hasNoformat)
        {
            return $"{{noformat}}\n{code}\n{{noformat}}";
        }
        return hasCode ? EscapeLines(code) : $"{{code}}\n{code}\n{{code}}";
    }

    /// <summary>[text|url] when the URL can stand in a wiki link, else the text and the URL side by side.</summary>
    private static string Link(string text, string? url)
    {
        var label = Escape(text.ReplaceLineEndings(" "));
        if (string.IsNullOrEmpty(url))
        {
            return label;
        }
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url.IndexOfAny(['|', ']', '[', ' ', '\n', '\r', '\t']) < 0
            ? $"[{label}|{url}]"
            : $"{label} ({Escape(url.ReplaceLineEndings(" "))})";
    }

    private static string Names(IReadOnlyList<string> participants) =>
        participants.Count == 0 ? "none" : string.Join(", ", participants.Select(p => "@" + Escape(p)));

    [GeneratedRegex(@"^(\s*(?:h[1-6]|bq))\.(?=\s|$)")]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"\Ghttps?://[^\s\[\]{}|!\\]+")]
    private static partial Regex Url();

    [GeneratedRegex(@"\G\((?:y|n|i|/|x|!|\+|-|\?|on|off|\*[rgby]?|flag|flagoff)\)")]
    private static partial Regex Emoticon();

    [GeneratedRegex(@"\{(code)", RegexOptions.IgnoreCase)]
    private static partial Regex CodeTag();
}
