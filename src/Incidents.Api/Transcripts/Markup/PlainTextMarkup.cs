using System.Globalization;
using System.Text;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// Plain text for ticket systems whose comments are not rendered (PagerDuty incident notes): marker lines stay visible
/// as short bracketed lines, links are bare URLs (the UI detects them), code blocks keep their fences so they stay
/// recognisable and copyable, thread replies are quoted with "> ", and the manifest JSON sits in a fenced block that
/// <see cref="ReadManifest"/> reads back exactly. Nothing needs escaping: what the chat said is written as it was.
/// </summary>
internal sealed class PlainTextMarkup : TicketMarkup
{
    public static readonly PlainTextMarkup Instance = new();

    private const string Fence = "```";

    public override string Name => "plain";

    public override string MarkerLine(string marker) => $"[{marker}]";

    public override string Header(TranscriptHeader m, int part, int parts) => string.Create(CultureInfo.InvariantCulture,
        $"Chat transcript of #{m.Channel} (part {part} of {parts})\n" +
        $"Ticket: {OneLine(m.TicketTitle)}{(m.TicketUrl.Length > 0 ? " " + m.TicketUrl : "")}\n" +
        $"Period: {Period(m)}\n" +
        $"Messages: {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)\n" +
        $"Participants: {People(m.Participants)}\n\n");

    public override string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = Stamp(m.Timestamp);
        if (m.IsSystem)
        {
            return $"{prefix}[{ts}] * {OneLine(SystemText(m))}\n\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{prefix}[{ts}] @{m.Username}");
        if (EditedText(m) is { } edited)
        {
            sb.Append(' ').Append(edited);
        }
        if (m.Pinned)
        {
            sb.Append(" (pinned)");
        }
        sb.Append('\n');
        if (m.Text.Length > 0)
        {
            sb.Append(Text(m.Text));
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"File: {OneLine(f.Name)} ({kept.Size} bytes, sha256 {kept.Sha256[..12]}…) {kept.Link}\n")
                : $"File: {OneLine(f.Name)} (file not kept)\n");
        }
        foreach (var a in m.Attachments ?? [])
        {
            var title = a.Title ?? a.AuthorName ?? "attachment";
            var link = a.TitleLink ?? a.MessageLink;
            sb.Append("| ").Append(OneLine(title));
            if (link is not null)
            {
                sb.Append(' ').Append(link);
            }
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append(": ").Append(OneLine(a.Text));
            }
            sb.Append('\n');
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            sb.Append("Link: ").Append(OneLine(l.Title!)).Append(' ').Append(l.Url).Append('\n');
        }
        if (ReactionsText(m) is { } reactions)
        {
            sb.Append("Reactions: ").Append(reactions).Append('\n');
        }
        return sb.Append('\n').ToString();
    }

    public override string Reply(string block) =>
        string.Join('\n', block.TrimEnd('\n').Split('\n').Select(l => "> " + l)) + "\n\n";

    public override string NoMessages => "(The channel had no messages.)\n\n";

    public override string Rule => new string('-', 40) + "\n\n";

    public override string Manifest(TranscriptManifest m)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("Transcript manifest\n");
        sb.Append(inv, $"Messages: {m.MessageCount} ({m.ThreadCount} threads)\n");
        sb.Append(inv, $"Period: {Period(m)}\n");
        sb.Append(inv, $"Participants: {People(m.Participants)}\n");
        sb.Append(inv, $"Files: {m.Files.Count} ({m.FileBytes} bytes)\n");
        sb.Append(inv, $"JSON SHA-256: {m.JsonSha256}\n\n");
        foreach (var f in m.Files)
        {
            sb.Append(inv, $"- {OneLine(f.Name)}, {f.Size} bytes, {(f.Sha256.Length == 0 ? "not kept" : "sha256 " + f.Sha256)}\n");
        }
        if (m.Files.Count > 0)
        {
            sb.Append('\n');
        }
        return sb.Append(Fence).Append("json\n").Append(m.ToJson()).Append('\n').Append(Fence).Append('\n').ToString();
    }

    /// <summary>The manifest JSON is the last fenced json block.</summary>
    public override TranscriptManifest? ReadManifest(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var open = Array.FindLastIndex(lines, l => l == Fence + "json");
        if (open < 0)
        {
            return null;
        }
        var close = Array.FindIndex(lines, open + 1, l => l == Fence);
        return close < 0 ? null : TranscriptManifest.FromJson(string.Join('\n', lines[(open + 1)..close]));
    }

    /// <summary>
    /// A message's text with LF line endings: prose as written, code blocks between fences (an unclosed fence is
    /// closed so it cannot run into the next message).
    /// </summary>
    private static string Text(string text)
    {
        var sb = new StringBuilder();
        foreach (var (isCode, language, segment) in Segments(text))
        {
            if (isCode)
            {
                sb.Append(Fence).Append(language).Append('\n');
                if (segment.Length > 0)
                {
                    sb.Append(segment).Append('\n');
                }
                sb.Append(Fence).Append('\n');
            }
            else
            {
                sb.Append(segment).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Text that must stay on its line (names, titles, attachment texts).</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
