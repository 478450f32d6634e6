using System.Globalization;
using System.Text;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// GitHub- and GitLab-flavoured Markdown (also CommonMark for Redmine): markers are HTML comments, which both
/// hide; message texts are Rocket.Chat Markdown already and go in as they are (an unclosed fence is closed).
/// </summary>
internal sealed class MarkdownMarkup : TicketMarkup
{
    public static readonly MarkdownMarkup Instance = new();

    private const string Fence = "```";

    public override string Name => "markdown";

    public override (string MediaType, string Extension) File => ("text/markdown", "md");

    public override string MarkerLine(string marker) => $"<!-- {marker} -->";

    public override string Header(TranscriptHeader m, int part, int parts) => string.Create(CultureInfo.InvariantCulture,
        $"### Chat transcript of `#{m.Channel}` (part {part} of {parts})\n\n" +
        $"**Ticket:** [{Escape(m.TicketTitle)}]({m.TicketUrl})  \n**Period:** {Period(m)}  \n" +
        $"**Messages:** {m.MessageCount} ({m.ThreadCount} threads, {m.FileCount} files)  \n**Participants:** {People(m.Participants)}\n\n");

    public override string Message(ChatMessage m, string prefix, IReadOnlyDictionary<string, TranscriptFile> files)
    {
        var ts = Stamp(m.Timestamp);
        if (m.IsSystem)
        {
            return $"{prefix}`{ts}` _{SystemText(m)}_\n\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{prefix}`{ts}` **@{m.Username}**");
        if (EditedText(m) is { } edited)
        {
            sb.Append(" _").Append(edited).Append('_');
        }
        if (m.Pinned)
        {
            sb.Append(" 📌 pinned");
        }
        sb.Append('\n');
        if (m.Text.Length > 0)
        {
            sb.Append(BalancedFences(m.Text)).Append('\n');
        }
        foreach (var f in m.Files ?? [])
        {
            sb.Append(files.TryGetValue(f.Id, out var kept) && kept.Sha256.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"📎 [{Escape(f.Name)}]({kept.Link}) ({kept.Size} bytes, sha256 `{kept.Sha256[..12]}…`)\n")
                : $"📎 {Escape(f.Name)} (file not kept)\n");
        }
        foreach (var a in m.Attachments ?? [])
        {
            var title = a.Title ?? a.AuthorName ?? "attachment";
            var link = a.TitleLink ?? a.MessageLink;
            sb.Append(link is null ? $"> {Escape(title)}" : $"> [{Escape(title)}]({link})");
            if (!string.IsNullOrEmpty(a.Text))
            {
                sb.Append(": ").Append(a.Text.ReplaceLineEndings(" "));
            }
            sb.Append('\n');
        }
        foreach (var l in (m.Links ?? []).Where(l => l.Title is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"> 🔗 [{Escape(l.Title!)}]({l.Url})\n");
        }
        if (ReactionsText(m) is { } reactions)
        {
            sb.Append(reactions).Append('\n');
        }
        return sb.Append('\n').ToString().ReplaceLineEndings("\n");
    }

    public override string Reply(string block) =>
        string.Join('\n', block.TrimEnd('\n').Split('\n').Select(l => "> " + l)) + "\n\n";

    public override string NoMessages => "_The channel had no messages._\n\n";

    public override string Rule => "---\n\n";

    public override string Manifest(TranscriptManifest m)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("#### Transcript manifest\n\n");
        sb.Append(inv, $"**Messages:** {m.MessageCount} ({m.ThreadCount} threads)  \n");
        sb.Append(inv, $"**Period:** {Period(m)}  \n");
        sb.Append(inv, $"**Participants:** {People(m.Participants)}  \n");
        sb.Append(inv, $"**Files:** {m.Files.Count} ({m.FileBytes} bytes)  \n");
        sb.Append(inv, $"**JSON SHA-256:** `{m.JsonSha256}`\n\n");
        if (m.Files.Count > 0)
        {
            sb.Append("| file | size (bytes) | sha256 |\n| --- | ---: | --- |\n");
            foreach (var f in m.Files)
            {
                sb.Append(inv, $"| {Cell(f.Name)} | {f.Size} | {(f.Sha256.Length == 0 ? "not kept" : $"`{f.Sha256}`")} |\n");
            }
            sb.Append('\n');
        }
        return sb.Append(Fence).Append("json\n").Append(m.ToJson()).Append('\n').Append(Fence).Append('\n').ToString();
    }

    /// <summary>The manifest JSON is the last fenced json block.</summary>
    public override TranscriptManifest? ReadManifest(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var open = Array.FindLastIndex(lines, l => l.Trim() == Fence + "json");
        if (open < 0)
        {
            return null;
        }
        var close = Array.FindIndex(lines, open + 1, l => l.Trim() == Fence);
        return close < 0 ? null : TranscriptManifest.FromJson(string.Join('\n', lines[(open + 1)..close]));
    }

    /// <summary>Closes a code fence the author left open so it cannot swallow the rest of the transcript.</summary>
    private static string BalancedFences(string text)
    {
        var fences = text.Split('\n').Count(l => l.TrimStart().StartsWith(Fence, StringComparison.Ordinal));
        return fences % 2 == 0 ? text : text + "\n" + Fence;
    }

    private static string Escape(string text) => text.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    private static string Cell(string text) =>
        text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
