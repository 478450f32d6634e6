using System.Globalization;
using System.Text;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// Jira Cloud's REST API v3 takes comments as Atlassian Document Format, which has no text representation of its own.
/// This markup renders parts as plain lines the Jira adapter turns into ADF and back exactly (<c>Tickets/Jira/JiraAdf</c>):
/// fenced code becomes a code block, runs of lines become paragraphs with line breaks, and text between
/// <see cref="StrongStart"/> and <see cref="StrongEnd"/> (two private-use characters) becomes bold. Message texts go in
/// as written — ADF text is never interpreted — with those two characters replaced. ADF cannot hide text, so marker
/// lines are visible.
/// </summary>
internal sealed class JiraAdfMarkup : TicketMarkup
{
    public static readonly JiraAdfMarkup Instance = new();

    public const char StrongStart = '\uE000';
    public const char StrongEnd = '\uE001';

    private const string Fence = "```";

    public override string Name => "jira-adf";

    public override string MarkerLine(string marker) => marker;

    public override string Header(TranscriptHeader m, int part, int parts) => string.Create(CultureInfo.InvariantCulture,
        $"{Bold($"Chat transcript of #{Clean(m.Channel)} (part {part} of {parts})")}\n" +
        $"{Bold("Ticket:")} {Clean(m.TicketTitle)} — {Clean(m.TicketUrl)}\n{Bold("Period:")} {Period(m)}\n" +
        $"{Bold("Messages:")} {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)\n{Bold("Participants:")} {Clean(People(m.Participants))}\n\n");

    public override string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = Stamp(m.Timestamp);
        if (m.IsSystem)
        {
            return $"{prefix}{ts} · {Clean(SystemText(m))}\n\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{prefix}{ts} {Bold("@" + Clean(m.Username))}");
        if (EditedText(m) is { } edited)
        {
            sb.Append(' ').Append(Clean(edited));
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
                sb.Append(isCode ? $"{Fence}{Language(language)}\n{Clean(text)}\n{Fence}" : Clean(text)).Append('\n');
            }
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"📎 {Clean(f.Name)} — {kept.Link} ({kept.Size} bytes, sha256 {kept.Sha256[..12]}…)\n")
                : $"📎 {Clean(f.Name)} (file not kept)\n");
        }
        foreach (var a in m.Attachments ?? [])
        {
            var title = a.Title ?? a.AuthorName ?? "attachment";
            var link = a.TitleLink ?? a.MessageLink;
            sb.Append("> ").Append(Clean(title.ReplaceLineEndings(" ")));
            if (link is not null)
            {
                sb.Append(" — ").Append(Clean(link.ReplaceLineEndings(" ")));
            }
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append(": ").Append(Clean(a.Text.ReplaceLineEndings(" ")));
            }
            sb.Append('\n');
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"> 🔗 {Clean(l.Title!.ReplaceLineEndings(" "))} — {Clean(l.Url.ReplaceLineEndings(" "))}\n");
        }
        if (ReactionsText(m) is { } reactions)
        {
            sb.Append(Clean(reactions)).Append('\n');
        }
        return sb.Append('\n').ToString().ReplaceLineEndings("\n");
    }

    /// <summary>Replies keep their "↳" lead and stay unindented, so their code fences remain code blocks.</summary>
    public override string Reply(string block) => block;

    public override string NoMessages => "The channel had no messages.\n\n";

    public override string Rule => "――――――――――――――――――――\n\n";

    public override string Manifest(TranscriptManifest m)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(Bold("Transcript manifest")).Append('\n');
        sb.Append(inv, $"{Bold("Messages:")} {m.MessageCount} ({m.ThreadCount} threads)\n");
        sb.Append(inv, $"{Bold("Period:")} {Period(m)}\n");
        sb.Append(inv, $"{Bold("Participants:")} {Clean(People(m.Participants))}\n");
        sb.Append(inv, $"{Bold("Files:")} {m.Files.Count} ({m.FileBytes} bytes)\n");
        sb.Append(inv, $"{Bold("JSON SHA-256:")} {m.JsonSha256}\n\n");
        foreach (var f in m.Files)
        {
            sb.Append(inv, $"• {Clean(f.Name.ReplaceLineEndings(" "))} — {f.Size} bytes — {(f.Sha256.Length == 0 ? "not kept" : "sha256 " + f.Sha256)}\n");
        }
        if (m.Files.Count > 0)
        {
            sb.Append('\n');
        }
        return sb.Append(Fence).Append("json\n").Append(m.ToJson()).Append('\n').Append(Fence).Append('\n').ToString();
    }

    /// <summary>The manifest JSON is the last <c>```json</c> code block.</summary>
    public override TranscriptManifest? ReadManifest(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var open = Array.FindLastIndex(lines, l => l == Fence + "json");
        if (open < 0)
        {
            return null;
        }
        var close = Array.IndexOf(lines, Fence, open + 1);
        return close < 0 ? null : TranscriptManifest.FromJson(string.Join('\n', lines[(open + 1)..close]));
    }

    private static string Bold(string text) => $"{StrongStart}{text}{StrongEnd}";

    /// <summary>Text from elsewhere never carries the bold markers.</summary>
    private static string Clean(string text) => text.Replace(StrongStart, '\uFFFD').Replace(StrongEnd, '\uFFFD');

    /// <summary>The first word of a fence's info string, without characters a fence line cannot hold.</summary>
    private static string Language(string? info)
    {
        var word = (info ?? "").Split([' ', '\t'], 2)[0].Replace("`", "", StringComparison.Ordinal);
        return Clean(word);
    }
}
