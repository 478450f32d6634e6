using System.Globalization;
using Incidents.Chat;

namespace Incidents.Transcripts.Markup;

/// <summary>
/// How transcript comments are written in one ticket system's markup (GitHub/GitLab Markdown, Jira wiki markup,
/// Redmine Textile, Zammad HTML, plain text). The splitting into parts, the markers and their hashes are the same
/// for every markup (<see cref="TranscriptComments"/>); a markup only renders the pieces. Every rendering uses LF
/// line endings and must come back from the ticket system byte for byte, because parts are verified by hash.
/// </summary>
internal abstract class TicketMarkup
{
    protected const string Time = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Configuration name of the markup, e.g. "markdown", "jira-wiki".</summary>
    public abstract string Name { get; }

    /// <summary>Media type and file extension of the comments as published (the admin API serves them so).</summary>
    public virtual (string MediaType, string Extension) File => ("text/plain", "txt");

    /// <summary>One line carrying a marker (hidden from readers where the markup can hide text); no line break.</summary>
    public abstract string MarkerLine(string marker);

    /// <summary>The visible part header: channel, ticket, period, counts, participants. Ends with a line break.</summary>
    public abstract string Header(TranscriptHeader header, int part, int parts);

    /// <summary>One message as a block; <paramref name="prefix"/> (e.g. "↳ ") goes before its first line.</summary>
    public abstract string Message(ChatMessage message, string prefix, IReadOnlyDictionary<string, TranscriptFile> files);

    /// <summary>A thread reply's block (already rendered by <see cref="Message"/>), set under its root (e.g. quoted).</summary>
    public abstract string Reply(string block);

    /// <summary>Shown when the channel had no messages.</summary>
    public abstract string NoMessages { get; }

    /// <summary>What separates the messages from the manifest.</summary>
    public abstract string Rule { get; }

    /// <summary>The manifest as published: a readable summary and the manifest JSON that <see cref="ReadManifest"/> reads back.</summary>
    public abstract string Manifest(TranscriptManifest manifest);

    /// <summary>Reads the manifest back from the published text that starts at the manifest marker; null when it is not there.</summary>
    public abstract TranscriptManifest? ReadManifest(string text);

    public string BodyStart => MarkerLine(TranscriptMarker.BodyMarker);

    public string ManifestStart => MarkerLine(TranscriptMarker.ManifestMarker);

    protected static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture);

    protected static string Period(TranscriptHeader h) =>
        h.First is null ? "no messages" : $"{Stamp(h.First.Value)} – {Stamp(h.Last!.Value)} UTC";

    protected static string Period(TranscriptManifest m) =>
        m.First is { } first && m.Last is { } last ? $"{Stamp(first)} – {Stamp(last)} UTC" : "no messages";

    protected static string People(IReadOnlyList<string> participants) =>
        participants.Count == 0 ? "none" : string.Join(", ", participants.Select(p => "@" + p));

    /// <summary>What a system message says, in words (markup-free).</summary>
    protected static string SystemText(ChatMessage m) => m.SystemType switch
    {
        "uj" => $"@{m.Username} joined",
        "ul" => $"@{m.Username} left",
        "au" => $"@{m.Username} added @{m.Text}",
        "ru" => $"@{m.Username} removed @{m.Text}",
        "room_changed_topic" => $"@{m.Username} set the topic: {m.Text.ReplaceLineEndings(" ")}",
        "room_changed_description" => $"@{m.Username} set the description: {m.Text.ReplaceLineEndings(" ")}",
        "room-archived" => $"@{m.Username} archived the channel",
        "room-unarchived" => $"@{m.Username} unarchived the channel",
        "message_pinned" => $"@{m.Username} pinned a message",
        "rm" => $"message by @{m.Username} removed{(m.EditedAt is { } at ? " at " + Stamp(at) : "")}",
        "r" => $"@{m.Username} renamed the channel to {m.Text}",
        _ => $"{m.SystemType} by @{m.Username}{(m.Text.Length > 0 ? ": " + m.Text.ReplaceLineEndings(" ") : "")}",
    };

    /// <summary>"(edited by @x 2026-…)" or null.</summary>
    protected static string? EditedText(ChatMessage m) =>
        m.EditedAt is { } edited ? $"(edited{(m.EditedBy is null ? "" : " by @" + m.EditedBy)} {Stamp(edited)})" : null;

    /// <summary>Reactions in one line ("👍 2 (@a, @b)"), or null.</summary>
    protected static string? ReactionsText(ChatMessage m) =>
        m.Reactions is { Count: > 0 } reactions
            ? string.Join(" ", reactions.Select(r => $"{r.Key} {r.Value.Count} ({string.Join(", ", r.Value.Select(u => "@" + u))})"))
            : null;

    /// <summary>
    /// A message text split into prose and fenced code blocks (Rocket.Chat writes Markdown fences), so markups
    /// without Markdown can render code as code. An unclosed fence runs to the end of the text.
    /// </summary>
    protected static IEnumerable<(bool IsCode, string? Language, string Text)> Segments(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var prose = new List<string>();
        List<string>? code = null;
        string? language = null;
        foreach (var line in lines)
        {
            var fence = line.TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (code is null && fence)
            {
                if (prose.Count > 0)
                {
                    yield return (false, null, string.Join('\n', prose));
                    prose.Clear();
                }
                code = [];
                var info = line.TrimStart()[3..].Trim();
                language = info.Length == 0 ? null : info;
            }
            else if (code is not null && fence && line.Trim() == "```")
            {
                yield return (true, language, string.Join('\n', code));
                code = null;
            }
            else
            {
                (code ?? prose).Add(line);
            }
        }
        if (code is not null)
        {
            yield return (true, language, string.Join('\n', code));
        }
        if (prose.Count > 0)
        {
            yield return (false, null, string.Join('\n', prose));
        }
    }
}
