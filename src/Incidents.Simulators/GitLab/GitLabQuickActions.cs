namespace Incidents.Simulators.GitLab;

/// <summary>
/// What GitLab does to a note before storing it (its quick-action extractor): every <c>\r</c> is deleted; every line
/// that starts with <c>/</c> and a known command (<c>/close</c>, <c>/label ~x</c>…) is taken out of the text and
/// executed, unless it sits in a region the extractor skips; and trailing whitespace is stripped from the whole note.
/// The skipped regions, tried in this order at each line start: a <c>```</c> fenced block; everything from the line
/// start up to the last line that ends with a backtick (when a backtick comes before it); an HTML block from a line
/// <c>&lt;tag&gt;</c> to a line <c>&lt;/tag&gt;</c>; a <c>&gt;&gt;&gt;</c> quote block. Written as a linear scan (GitLab uses
/// one regular expression) so megabyte notes stay cheap.
/// </summary>
internal static class GitLabQuickActions
{
    /// <summary>A representative subset of GitLab's issue quick actions (names are matched case-insensitively).</summary>
    private static readonly string[] Commands =
    [
        "add_child", "assign", "award", "blocked_by", "blocks", "board_move", "child", "clear_health_status", "clear_weight", "clone", "close",
        "confidential", "copy_metadata", "done", "due", "duplicate", "epic", "escalate", "estimate", "estimate_time", "health_status", "iteration",
        "label", "labels", "lock", "milestone", "move", "page", "parent", "promote", "promote_to_incident", "react", "relabel", "relate",
        "remove_child", "remove_due_date", "remove_epic", "remove_estimate", "remove_iteration", "remove_label", "remove_milestone", "remove_parent",
        "remove_time_estimate", "remove_time_spent", "remove_zoom", "reopen", "set_parent", "severity", "shrug", "spend", "spend_time", "spent",
        "status", "subscribe", "tableflip", "timeline", "title", "todo", "type", "unassign", "unlabel", "unlock", "unrelate", "unsubscribe",
        "weight", "zoom",
    ];

    private static readonly HashSet<string> Known = new(Commands, StringComparer.OrdinalIgnoreCase);

    /// <summary>The note as GitLab stores it, and the commands it found (lowercase name, argument or null).</summary>
    public static (string Content, IReadOnlyList<(string Name, string? Argument)> Commands) Extract(string note)
    {
        var text = note.Replace("\r", "", StringComparison.Ordinal);
        var lastTickLineEnd = LastBacktickAtLineEnd(text);
        var output = new System.Text.StringBuilder(text.Length);
        var commands = new List<(string, string?)>();
        var copied = 0;
        var p = 0;
        while (p < text.Length)
        {
            var skipTo = Code(text, p) ?? Inline(text, p, lastTickLineEnd) ?? Html(text, p) ?? Quote(text, p);
            if (skipTo is { } end)
            {
                p = NextLineStart(text, end);
                continue;
            }
            if (Command(text, p) is { } command)
            {
                output.Append(text, copied, p - copied);
                commands.Add((command.Name, command.Argument));
                output.Append(command.Name switch
                {
                    "shrug" => $"{command.Argument} ¯\\＿(ツ)＿/¯".TrimStart(),
                    "tableflip" => $"{command.Argument} (╯°□°)╯︵ ┻━┻".TrimStart(),
                    _ => "",
                });
                copied = command.End;
                p = command.End;
                continue;
            }
            var newline = text.IndexOf('\n', p);
            p = newline < 0 ? text.Length : newline + 1;
        }
        output.Append(text, copied, text.Length - copied);
        return (output.ToString().TrimEnd(' ', '\t', '\n', '\v', '\f', '\r', '\0'), commands);
    }

    /// <summary>A command line at <paramref name="p"/>: "/name", then " argument" or nothing, then the line break and any blank lines after it.</summary>
    private static (string Name, string? Argument, int End)? Command(string text, int p)
    {
        if (text[p] != '/')
        {
            return null;
        }
        var lineEnd = text.IndexOf('\n', p);
        var line = lineEnd < 0 ? text[(p + 1)..] : text[(p + 1)..lineEnd];
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? line : line[..space];
        if (!Known.Contains(name))
        {
            // GitLab's pattern also accepts a name followed by blanks before the line break.
            if (!Known.Contains(name.TrimEnd(' ', '\t', '\f', '\v')))
            {
                return null;
            }
            name = name.TrimEnd(' ', '\t', '\f', '\v');
            space = -1;
        }
        var argument = space < 0 ? null : line[(space + 1)..].Trim();
        if (lineEnd < 0)
        {
            return (name.ToLowerInvariant(), string.IsNullOrEmpty(argument) ? null : argument, text.Length);
        }
        // "\s*\n": whitespace (blank lines included) up to the last line break of the run.
        var end = lineEnd + 1;
        for (var i = lineEnd + 1; i < text.Length && char.IsWhiteSpace(text[i]); i++)
        {
            if (text[i] == '\n')
            {
                end = i + 1;
            }
        }
        return (name.ToLowerInvariant(), string.IsNullOrEmpty(argument) ? null : argument, end);
    }

    /// <summary>"```" at the line start, at least one character, then a line that is exactly "```".</summary>
    private static int? Code(string text, int p)
    {
        if (!text.AsSpan(p).StartsWith("```"))
        {
            return null;
        }
        for (var i = text.IndexOf("\n```", p + 4, StringComparison.Ordinal); i >= 0; i = text.IndexOf("\n```", i + 1, StringComparison.Ordinal))
        {
            if (AtLineEnd(text, i + 4))
            {
                return i + 4;
            }
        }
        return null;
    }

    /// <summary>From the line start to the last backtick that ends a line, when another backtick comes at least two characters before it.</summary>
    private static int? Inline(string text, int p, int lastTickLineEnd)
    {
        if (lastTickLineEnd < p + 2)
        {
            return null;
        }
        var first = text.IndexOf('`', p);
        return first >= 0 && first <= lastTickLineEnd - 2 ? lastTickLineEnd + 1 : null;
    }

    /// <summary>A line "&lt;tag…&gt;", at least one character, then a line "&lt;/tag…&gt;".</summary>
    private static int? Html(string text, int p)
    {
        if (text[p] != '<')
        {
            return null;
        }
        var close = text.IndexOf('>', p + 1);
        if (close < p + 2 || close + 1 >= text.Length || text[close + 1] != '\n')
        {
            return null;
        }
        for (var i = text.IndexOf("\n</", close + 3, StringComparison.Ordinal); i >= 0; i = text.IndexOf("\n</", i + 1, StringComparison.Ordinal))
        {
            var end = text.IndexOf('>', i + 3);
            if (end > i + 3 && AtLineEnd(text, end + 1))
            {
                return end + 1;
            }
        }
        return null;
    }

    /// <summary>A line starting "&gt;&gt;&gt;", at least one character, then a line that is exactly "&gt;&gt;&gt;".</summary>
    private static int? Quote(string text, int p)
    {
        if (!text.AsSpan(p).StartsWith(">>>"))
        {
            return null;
        }
        for (var i = text.IndexOf("\n>>>", p + 4, StringComparison.Ordinal); i >= 0; i = text.IndexOf("\n>>>", i + 1, StringComparison.Ordinal))
        {
            if (AtLineEnd(text, i + 4))
            {
                return i + 4;
            }
        }
        return null;
    }

    private static int LastBacktickAtLineEnd(string text)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == '`' && AtLineEnd(text, i + 1))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool AtLineEnd(string text, int i) => i >= text.Length || text[i] == '\n';

    /// <summary>The first line start at or after the end of a skipped region (which ends at a line break or the text's end).</summary>
    private static int NextLineStart(string text, int end)
    {
        if (end >= text.Length)
        {
            return text.Length;
        }
        var newline = text.IndexOf('\n', end);
        return newline < 0 ? text.Length : newline + 1;
    }
}
