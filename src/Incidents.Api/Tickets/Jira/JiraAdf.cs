using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incidents.Transcripts.Markup;

namespace Incidents.Tickets.Jira;

/// <summary>
/// Converts the line-based text of <see cref="JiraAdfMarkup"/> to Atlassian Document Format and back, exactly:
/// <c>ToText(FromText(t)) == t</c> for every string, so transcript parts read back from Jira Cloud hash to what was
/// posted. The document uses only paragraphs (one per run of lines between blank lines, line breaks as
/// <c>hardBreak</c>), <c>text</c> nodes (bold where the markup wraps text in <see cref="JiraAdfMarkup.StrongStart"/> /
/// <see cref="JiraAdfMarkup.StrongEnd"/>) and <c>codeBlock</c>s for fenced code.
/// </summary>
/// <remarks>
/// The text is a sequence of line groups: a code group is a line <c>```lang</c>, at least one line of non-empty
/// content and the next line that is exactly <c>```</c>; every other run of lines is a prose group. Code groups become
/// one <c>codeBlock</c>; a prose group is split at blank-line separators (<c>\n\n</c>) into paragraphs, so extra blank
/// lines survive as leading line breaks or empty paragraphs. Going back, consecutive paragraphs are joined by
/// <c>\n\n</c> and any two blocks of which one is code by <c>\n</c>. Text nodes are never empty and no two adjacent
/// nodes carry the same marks, so nothing in the document invites Jira to merge or drop a node.
/// </remarks>
internal static class JiraAdf
{
    private const string Fence = "```";

    public static JsonObject FromText(string text)
    {
        var content = new JsonArray();
        var lines = text.Split('\n');
        var prose = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (CodeEnd(lines, i) is { } end)
            {
                AddProse(content, prose);
                var block = new JsonObject { ["type"] = "codeBlock" };
                var language = lines[i][Fence.Length..];
                if (language.Length > 0)
                {
                    block["attrs"] = new JsonObject { ["language"] = language };
                }
                block["content"] = new JsonArray(Text(string.Join('\n', lines[(i + 1)..end]), strong: false));
                content.Add(block);
                i = end;
            }
            else
            {
                prose.Add(lines[i]);
            }
        }
        AddProse(content, prose);
        return new JsonObject { ["version"] = 1, ["type"] = "doc", ["content"] = content };
    }

    /// <summary>The text a document stands for: the exact inverse of <see cref="FromText"/>, and readable text for any other document.</summary>
    public static string ToText(JsonElement doc)
    {
        var sb = new StringBuilder();
        string? previous = null;
        foreach (var block in Children(doc))
        {
            var type = Type(block);
            if (previous is not null)
            {
                sb.Append(previous == "paragraph" && type == "paragraph" ? "\n\n" : "\n");
            }
            if (type == "codeBlock")
            {
                var language = block.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object
                    && attrs.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
                sb.Append(Fence).Append(language).Append('\n');
                Inline(block, sb);
                sb.Append('\n').Append(Fence);
                previous = "codeBlock";
            }
            else
            {
                Inline(block, sb);
                previous = "paragraph";
            }
        }
        return sb.ToString();
    }

    /// <summary>Plain text of any document (a comment or description written by a person), for relaying it into a channel.</summary>
    public static string PlainText(JsonElement doc) => ToText(doc).Replace(JiraAdfMarkup.StrongStart.ToString(), "", StringComparison.Ordinal)
        .Replace(JiraAdfMarkup.StrongEnd.ToString(), "", StringComparison.Ordinal);

    /// <summary>The index of the closing fence when a code group starts at line <paramref name="i"/>.</summary>
    private static int? CodeEnd(string[] lines, int i)
    {
        var line = lines[i];
        if (!line.StartsWith(Fence, StringComparison.Ordinal) || line.AsSpan(Fence.Length).IndexOfAny(" \t`") >= 0)
        {
            return null;
        }
        var end = Array.IndexOf(lines, Fence, i + 1);
        // Content must be non-empty: ADF has no empty text node, so "no lines" and "one empty line" could not be told apart.
        return end > i + 1 && !(end == i + 2 && lines[i + 1].Length == 0) ? end : null;
    }

    private static void AddProse(JsonArray content, List<string> prose)
    {
        if (prose.Count == 0)
        {
            return;
        }
        foreach (var paragraph in string.Join('\n', prose).Split("\n\n"))
        {
            var inline = new JsonArray();
            var first = true;
            foreach (var line in paragraph.Split('\n'))
            {
                if (!first)
                {
                    inline.Add(new JsonObject { ["type"] = "hardBreak" });
                }
                first = false;
                foreach (var node in Line(line))
                {
                    inline.Add(node);
                }
            }
            var p = new JsonObject { ["type"] = "paragraph" };
            if (inline.Count > 0)
            {
                p["content"] = inline;
            }
            content.Add(p);
        }
        prose.Clear();
    }

    /// <summary>One line as text nodes: bold spans when its markers are well formed, else the line as it is.</summary>
    private static IEnumerable<JsonObject> Line(string line)
    {
        if (line.Length == 0)
        {
            yield break;
        }
        if (StrongSpans(line) is not { } spans)
        {
            yield return Text(line, strong: false);
            yield break;
        }
        foreach (var (piece, strong) in spans)
        {
            yield return Text(piece, strong);
        }
    }

    /// <summary>
    /// The line cut into plain and bold pieces, or null when its markers are not well formed: every start closed on the
    /// same line, no nesting, no empty span, and no two bold spans side by side (Jira could merge them).
    /// </summary>
    private static List<(string Text, bool Strong)>? StrongSpans(string line)
    {
        if (line.IndexOfAny([JiraAdfMarkup.StrongStart, JiraAdfMarkup.StrongEnd]) < 0)
        {
            return [(line, false)];
        }
        var pieces = new List<(string, bool)>();
        var at = 0;
        while (at < line.Length)
        {
            var start = line.IndexOf(JiraAdfMarkup.StrongStart, at);
            var plainEnd = start < 0 ? line.Length : start;
            if (line.AsSpan(at, plainEnd - at).Contains(JiraAdfMarkup.StrongEnd))
            {
                return null;
            }
            if (plainEnd > at)
            {
                pieces.Add((line[at..plainEnd], false));
            }
            else if (pieces.Count > 0)
            {
                return null; // a bold span right after another
            }
            if (start < 0)
            {
                break;
            }
            var end = line.IndexOf(JiraAdfMarkup.StrongEnd, start + 1);
            if (end <= start + 1 || line.AsSpan(start + 1, end - start - 1).Contains(JiraAdfMarkup.StrongStart))
            {
                return null;
            }
            pieces.Add((line[(start + 1)..end], true));
            at = end + 1;
        }
        return pieces;
    }

    private static JsonObject Text(string text, bool strong)
    {
        var node = new JsonObject { ["type"] = "text", ["text"] = text };
        if (strong)
        {
            node["marks"] = new JsonArray(new JsonObject { ["type"] = "strong" });
        }
        return node;
    }

    /// <summary>The inline content of a block: text (bold wrapped in the markup's markers), hard breaks as line feeds, and the text of anything nested.</summary>
    private static void Inline(JsonElement node, StringBuilder sb)
    {
        foreach (var child in Children(node))
        {
            switch (Type(child))
            {
                case "text":
                    var text = child.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
                    if (IsStrong(child))
                    {
                        sb.Append(JiraAdfMarkup.StrongStart).Append(text).Append(JiraAdfMarkup.StrongEnd);
                    }
                    else
                    {
                        sb.Append(text);
                    }
                    break;
                case "hardBreak":
                    sb.Append('\n');
                    break;
                case "mention" or "emoji" or "status" or "date" or "inlineCard":
                    sb.Append(Attribute(child, "text") ?? Attribute(child, "shortName") ?? Attribute(child, "url") ?? Attribute(child, "timestamp"));
                    break;
                default:
                    // Lists, headings, panels, tables… written by people: their text, one block per line.
                    if (sb.Length > 0 && sb[^1] != '\n')
                    {
                        sb.Append('\n');
                    }
                    Inline(child, sb);
                    break;
            }
        }
    }

    private static bool IsStrong(JsonElement text) =>
        text.TryGetProperty("marks", out var marks) && marks.ValueKind == JsonValueKind.Array && marks.GetArrayLength() == 1 && Type(marks[0]) == "strong";

    private static string? Attribute(JsonElement node, string name) =>
        node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(name, out var v)
            && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Children(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? content.EnumerateArray()
            : [];

    private static string? Type(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
}
