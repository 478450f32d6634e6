using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Incidents.Chat;

namespace Incidents.Transcripts;

/// <summary>
/// Renders the transcript as one standalone HTML5 document that reads offline: inline style, no scripts, no
/// external resources (images are embedded as data: URIs). Every piece of chat text is HTML-escaped before the
/// few formatting patterns (code blocks, inline code, bold, italic, bare URLs) are applied to it.
/// </summary>
internal static partial class HtmlTranscript
{
    public const long MaxInlineImageBytes = 2 * 1024 * 1024;

    private const int FlushEvery = 500;

    private const string Style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff;max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
        header{border-bottom:1px solid #d0d7de;margin-bottom:1rem}header h1{font-size:1.3rem;margin:.2rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.6rem 0 1rem}dt{font-weight:600;color:#57606a}dd{margin:0}
        h2.day{font-size:1rem;color:#57606a;border-bottom:1px solid #eaeef2;margin:1.4rem 0 .6rem;padding-bottom:.2rem}
        .msg{margin:.5rem 0}.meta{color:#57606a;font-size:.85rem}.meta .author{color:#1f2328;font-weight:600}
        .text{overflow-wrap:anywhere}.sys,.removed{color:#8c959f;font-size:.85rem;font-style:italic;margin:.2rem 0}
        .thread{margin:.3rem 0 .3rem 1.2rem;padding-left:.8rem;border-left:3px solid #d0d7de}
        pre{background:#f6f8fa;padding:.5rem .7rem;overflow-x:auto;border-radius:4px;margin:.3rem 0}code{font:.88em ui-monospace,SFMono-Regular,Consolas,monospace;background:#f6f8fa;padding:0 .2em}
        blockquote{margin:.3rem 0;padding:.1rem .7rem;border-left:3px solid #8c959f;color:#424a53}
        .files{margin:.2rem 0;padding-left:1.2rem}.files img{max-width:100%;max-height:24rem;display:block;margin:.2rem 0}
        .reactions span{display:inline-block;border:1px solid #d0d7de;border-radius:1rem;padding:0 .5rem;margin:.15rem .2rem 0 0;font-size:.85rem}
        .edited,.pin{color:#8c959f;font-size:.8rem}
        """;

    /// <summary>Writes the document; <paramref name="imageBytes"/> returns a file's bytes by id, or null when it has none.</summary>
    public static async Task WriteAsync(
        TextWriter output, TranscriptHeader header, IAsyncEnumerable<TranscriptEntry> entries, IReadOnlyDictionary<string, TranscriptFile> files,
        Func<string, CancellationToken, Task<byte[]?>> imageBytes, CancellationToken ct)
    {
        await output.WriteAsync(Head(header).AsMemory(), ct);
        DateOnly? day = null;
        var written = 0;
        var sb = new StringBuilder();
        await foreach (var entry in entries.WithCancellation(ct))
        {
            sb.Clear();
            var entryDay = DateOnly.FromDateTime(entry.Message.Timestamp.UtcDateTime);
            if (entryDay != day)
            {
                day = entryDay;
                var iso = entryDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                sb.Append(CultureInfo.InvariantCulture, $"<h2 class=\"day\"><time datetime=\"{iso}\">{iso}</time></h2>\n");
            }
            await Message(sb, entry.Message, entryDay, entry.OrphanReply, entry.Replies, files, imageBytes, ct);
            await output.WriteAsync(sb, ct);
            if (++written % FlushEvery == 0)
            {
                await output.FlushAsync(ct);
            }
        }
        if (written == 0)
        {
            await output.WriteAsync("<p class=\"sys\">The channel had no messages.</p>\n".AsMemory(), ct);
        }
        await output.WriteAsync("</main>\n</body>\n</html>\n".AsMemory(), ct);
        await output.FlushAsync(ct);
    }

    private static string Head(TranscriptHeader h)
    {
        var channel = E(h.Channel);
        var ticket = E(h.TicketRef.Length > 0 ? $"{h.TicketRef} {h.TicketTitle}" : h.TicketTitle);
        var period = h.First is { } first && h.Last is { } last
            ? $"{Stamp(first)} – {Stamp(last)} UTC"
            : "no messages";
        var people = h.Participants.Count == 0 ? "none" : string.Join(", ", h.Participants.Select(p => "@" + E(p)));
        return string.Create(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Transcript of #{channel} – {ticket}</title>
            <style>
            {Style}
            </style>
            </head>
            <body>
            <header>
            <h1>Chat transcript of <code>#{channel}</code></h1>
            <dl>
            <dt>Ticket</dt><dd>{Link(h.TicketUrl, ticket)}</dd>
            <dt>Channel</dt><dd><code>#{channel}</code></dd>
            <dt>Period</dt><dd>{period}</dd>
            <dt>Participants</dt><dd>{people}</dd>
            <dt>Messages</dt><dd>{h.MessageCount} messages, {h.ThreadCount} threads, {h.FileCount} files</dd>
            </dl>
            </header>
            <main>

            """);
    }

    private static async Task Message(
        StringBuilder sb, ChatMessage m, DateOnly day, bool orphan, IReadOnlyList<ChatMessage> replies, IReadOnlyDictionary<string, TranscriptFile> files,
        Func<string, CancellationToken, Task<byte[]?>> imageBytes, CancellationToken ct)
    {
        var time = Time(m.Timestamp, day);
        var id = E(m.Id);
        if (m.SystemType == "rm")
        {
            var at = m.EditedAt is { } removed ? $" at {Time(removed, day)}" : "";
            var by = m.EditedBy is null ? "" : $" by @{E(m.EditedBy)}";
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"removed\" id=\"m-{id}\">{time} @{E(m.Username)}: message removed{by}{at}</div>\n");
        }
        else if (m.IsSystem)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"sys\" id=\"m-{id}\">{time} {SystemText(m)}</div>\n");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"<article class=\"msg\" id=\"m-{id}\">\n<div class=\"meta\">{time} ");
            sb.Append(m.DisplayName is { Length: > 0 } name && name != m.Username
                ? $"<span class=\"author\">{E(name)}</span> <span class=\"user\">@{E(m.Username)}</span>"
                : $"<span class=\"author\">@{E(m.Username)}</span>");
            if (orphan)
            {
                sb.Append(" <span class=\"edited\">(reply in a removed thread)</span>");
            }
            if (m.EditedAt is { } edited)
            {
                var by = m.EditedBy is null ? "" : $" by @{E(m.EditedBy)}";
                sb.Append(CultureInfo.InvariantCulture, $" <span class=\"edited\">(edited{by} at {Time(edited, day)})</span>");
            }
            if (m.Pinned)
            {
                sb.Append(" <span class=\"pin\">📌 pinned</span>");
            }
            sb.Append("</div>\n");
            if (m.Text.Length > 0)
            {
                sb.Append("<div class=\"text\">").Append(Format(m.Text)).Append("</div>\n");
            }
            await Files(sb, m.Files, files, imageBytes, ct);
            Attachments(sb, m);
            Reactions(sb, m.Reactions);
        }
        if (replies.Count > 0)
        {
            sb.Append("<div class=\"thread\">\n");
            foreach (var reply in replies)
            {
                await Message(sb, reply, day, false, [], files, imageBytes, ct);
            }
            sb.Append("</div>\n");
        }
        if (!m.IsSystem)
        {
            sb.Append("</article>\n");
        }
    }

    private static async Task Files(
        StringBuilder sb, IReadOnlyList<ChatFile>? chatFiles, IReadOnlyDictionary<string, TranscriptFile> files,
        Func<string, CancellationToken, Task<byte[]?>> imageBytes, CancellationToken ct)
    {
        if (chatFiles is not { Count: > 0 })
        {
            return;
        }
        sb.Append("<ul class=\"files\">\n");
        foreach (var cf in chatFiles)
        {
            if (!files.TryGetValue(cf.Id, out var f))
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li>📎 {E(cf.Name)} <span class=\"edited\">(file not kept)</span></li>\n");
                continue;
            }
            var size = f.Size.ToString("N0", CultureInfo.InvariantCulture);
            var link = f.Link.Length == 0
                ? $"{E(f.Name)} <span class=\"edited\">({size} bytes, file not kept)</span>"
                : $"<a href=\"{E(f.Link)}\">{E(f.Name)}</a> <span class=\"edited\">({size} bytes)</span>";
            var type = f.ContentType?.ToLowerInvariant();
            var bytes = type is not null && ImageType().IsMatch(type) && f.Size <= MaxInlineImageBytes ? await imageBytes(f.FileId, ct) : null;
            sb.Append("<li>📎 ").Append(link);
            if (bytes is { Length: > 0 and <= (int)MaxInlineImageBytes })
            {
                sb.Append(CultureInfo.InvariantCulture, $"<br><img alt=\"{E(f.Name)}\" src=\"data:{type};base64,{Convert.ToBase64String(bytes)}\">");
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ul>\n");
    }

    private static void Attachments(StringBuilder sb, ChatMessage m)
    {
        foreach (var a in m.Attachments ?? [])
        {
            sb.Append("<blockquote>");
            if (a.AuthorName is not null)
            {
                sb.Append("<strong>").Append(E(a.AuthorName)).Append("</strong> ");
            }
            if (a.Title is not null)
            {
                sb.Append(a.TitleLink is null ? E(a.Title) : Link(a.TitleLink, E(a.Title)));
            }
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append("<div>").Append(Format(a.Text)).Append("</div>");
            }
            if (a.ImageUrl is not null)
            {
                sb.Append("<div>").Append(Link(a.ImageUrl, "image")).Append("</div>");
            }
            if (a.MessageLink is not null)
            {
                sb.Append("<div>").Append(Link(a.MessageLink, "original message")).Append("</div>");
            }
            sb.Append("</blockquote>\n");
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null || l.Description is not null))
        {
            sb.Append("<blockquote>").Append(Link(l.Url, E(l.Title ?? l.Url)));
            if (l.Description is not null)
            {
                sb.Append("<div>").Append(E(l.Description)).Append("</div>");
            }
            sb.Append("</blockquote>\n");
        }
    }

    private static void Reactions(StringBuilder sb, IReadOnlyDictionary<string, IReadOnlyList<string>>? reactions)
    {
        if (reactions is not { Count: > 0 })
        {
            return;
        }
        sb.Append("<div class=\"reactions\">");
        foreach (var (emoji, users) in reactions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<span title=\"{E(string.Join(", ", users.Select(u => "@" + u)))}\">{E(emoji)} {users.Count}</span>");
        }
        sb.Append("</div>\n");
    }

    private static string SystemText(ChatMessage m)
    {
        var user = "@" + E(m.Username);
        var text = E(m.Text.ReplaceLineEndings(" "));
        return m.SystemType switch
        {
            "uj" => $"{user} joined",
            "ul" => $"{user} left",
            "au" => $"{user} added @{text}",
            "ru" => $"{user} removed @{text}",
            "room_changed_topic" => $"{user} set the topic: {text}",
            "room-archived" => $"{user} archived the channel",
            "room-unarchived" => $"{user} unarchived the channel",
            "message_pinned" => $"{user} pinned a message",
            "r" => $"{user} renamed the channel to {text}",
            _ => $"{E(m.SystemType ?? "")} by {user}{(text.Length > 0 ? ": " + text : "")}",
        };
    }

    /// <summary>Escapes first, then turns fenced blocks into &lt;pre&gt;&lt;code&gt; and formats the rest line by line.</summary>
    internal static string Format(string text)
    {
        var escaped = E(text.ReplaceLineEndings("\n"));
        var sb = new StringBuilder();
        var at = 0;
        foreach (Match fence in FencedCode().Matches(escaped))
        {
            sb.Append(Inline(escaped[at..fence.Index].TrimEnd('\n')));
            var lang = fence.Groups["lang"].Success ? $" class=\"language-{fence.Groups["lang"].Value}\"" : "";
            sb.Append(CultureInfo.InvariantCulture, $"<pre><code{lang}>{fence.Groups["code"].Value.TrimEnd('\n')}</code></pre>");
            at = fence.Index + fence.Length;
            if (at < escaped.Length && escaped[at] == '\n')
            {
                at++;
            }
        }
        return sb.Append(Inline(escaped[at..])).ToString();
    }

    private static string Inline(string escaped) =>
        InlinePatterns().Replace(escaped, m =>
            m.Groups["code"].Success ? $"<code>{m.Groups["code"].Value}</code>"
            : m.Groups["url"].Success ? $"<a href=\"{m.Groups["url"].Value}\">{m.Groups["url"].Value}</a>"
            : m.Groups["bold"].Success ? $"<strong>{Inline(m.Groups["bold"].Value)}</strong>"
            : m.Groups["italic"].Success ? $"<em>{Inline(m.Groups["italic"].Value)}</em>"
            : "<br>\n");

    /// <summary>A link when the target is http(s) (or a path on the archive); otherwise the text alone, so no javascript: ever becomes a link.</summary>
    private static string Link(string url, string escapedText) =>
        SafeUrl().IsMatch(url) ? $"<a href=\"{E(url)}\">{escapedText}</a>" : escapedText;

    private static string Time(DateTimeOffset t, DateOnly day)
    {
        var utc = t.UtcDateTime;
        var shown = DateOnly.FromDateTime(utc) == day ? utc.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : Stamp(t);
        return $"<time datetime=\"{JsonTranscript.Timestamp(t)}\">{shown}</time>";
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"```(?:(?<lang>[A-Za-z0-9_+#.-]{1,20})?\n)?(?<code>.*?)(?:```|\z)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`(?<code>[^`\n]+)`|(?<url>https?://(?:[^\s&<>""'`]|&amp;)+(?<![.,;:!?)]))|\*\*(?<bold>[^\n]+?)\*\*|(?<![\p{L}\p{N}_])_(?<italic>[^_\n]{1,200}?)_(?![\p{L}\p{N}_])|\n", RegexOptions.CultureInvariant)]
    private static partial Regex InlinePatterns();

    [GeneratedRegex(@"^(?:https?://[^\s]+|/[^/\s][^\s]*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SafeUrl();

    [GeneratedRegex(@"^image/(?:png|jpeg|gif|webp|bmp|avif|svg\+xml)$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageType();
}
