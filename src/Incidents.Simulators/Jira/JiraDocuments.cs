using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Incidents.Simulators.Jira;

/// <summary>
/// What Jira does with comment bodies between its two API versions: an ADF document is validated (the shapes the
/// ADF schema allows for the nodes the service writes), counted against the character limit after conversion to wiki
/// markup, and shown as wiki markup through API v2; a wiki comment is shown through v3 as a simple document.
/// The conversion follows Atlassian's wiki-markup encoder for these nodes: bold as <c>*…*</c>, code blocks as
/// <c>{code:lang}</c>, hard breaks as line feeds, and <c>[~</c> escaped (it would start a mention).
/// </summary>
internal static partial class JiraDocuments
{
    private static readonly HashSet<string> InlineTypes = ["text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status"];
    private static readonly HashSet<string> BlockTypes = ["paragraph", "codeBlock", "heading", "rule", "bulletList", "orderedList", "blockquote", "panel", "table", "mediaSingle", "mediaGroup", "expand"];

    /// <summary>Null when the body is an ADF document Jira accepts; else why it is not.</summary>
    public static string? Invalid(JsonNode? body)
    {
        if (body is not JsonObject doc || (string?)doc["type"] != "doc" || doc["version"] is not JsonValue version || version.GetValueKind() != System.Text.Json.JsonValueKind.Number
            || (int)version != 1 || doc["content"] is not JsonArray blocks)
        {
            return "the body is not an ADF document (type doc, version 1, content)";
        }
        foreach (var block in blocks)
        {
            var type = (string?)block?["type"];
            if (type is null || !BlockTypes.Contains(type))
            {
                return $"unknown block node '{type}'";
            }
            if (type is "paragraph" or "codeBlock" && block!["content"] is JsonArray inline)
            {
                foreach (var node in inline)
                {
                    var inlineType = (string?)node?["type"];
                    if (inlineType is null || !InlineTypes.Contains(inlineType) || (type == "codeBlock" && (inlineType != "text" || node!["marks"] is not null)))
                    {
                        return $"node '{inlineType}' is not allowed in a {type}";
                    }
                    if (inlineType == "text" && (node!["text"] is not JsonValue text || !text.TryGetValue<string>(out var value) || value.Length == 0))
                    {
                        return "text nodes must have non-empty text";
                    }
                }
            }
        }
        return null;
    }

    public static string ToWiki(JsonObject doc)
    {
        var blocks = new List<string>();
        foreach (var block in doc["content"] as JsonArray ?? [])
        {
            blocks.Add((string?)block?["type"] switch
            {
                "codeBlock" => CodeBlock(block!),
                "rule" => "----",
                "heading" => $"h{(int?)block!["attrs"]?["level"] ?? 1}. {Inline(block)}",
                _ => Inline(block!),
            });
        }
        return string.Join("\n\n", blocks);
    }

    /// <summary>A wiki comment as API v3 shows it: paragraphs at blank lines, code and noformat blocks as code blocks.</summary>
    public static JsonObject FromWiki(string wiki)
    {
        var content = new JsonArray();
        var at = 0;
        foreach (Match m in CodeMacro().Matches(wiki))
        {
            Paragraphs(content, wiki[at..m.Index]);
            var code = new JsonObject { ["type"] = "codeBlock" };
            if (m.Groups["lang"].Success)
            {
                code["attrs"] = new JsonObject { ["language"] = m.Groups["lang"].Value };
            }
            if (m.Groups["body"].Value.Length > 0)
            {
                code["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = m.Groups["body"].Value });
            }
            content.Add(code);
            at = m.Index + m.Length;
        }
        Paragraphs(content, wiki[at..]);
        return new JsonObject { ["version"] = 1, ["type"] = "doc", ["content"] = content };
    }

    private static void Paragraphs(JsonArray content, string text)
    {
        foreach (var paragraph in text.Trim('\n').Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var inline = new JsonArray();
            var lines = paragraph.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0)
                {
                    inline.Add(new JsonObject { ["type"] = "hardBreak" });
                }
                if (lines[i].Length > 0)
                {
                    inline.Add(new JsonObject { ["type"] = "text", ["text"] = lines[i] });
                }
            }
            content.Add(new JsonObject { ["type"] = "paragraph", ["content"] = inline });
        }
    }

    private static string CodeBlock(JsonNode block)
    {
        var language = (string?)block["attrs"]?["language"];
        var text = string.Concat((block["content"] as JsonArray ?? []).Select(n => (string?)n?["text"] ?? ""));
        var tag = language is null ? "{code}" : $"{{code:{language}}}";
        return $"{tag}\n{text}\n{{code}}";
    }

    private static string Inline(JsonNode block)
    {
        var sb = new StringBuilder();
        foreach (var node in block["content"] as JsonArray ?? [])
        {
            switch ((string?)node?["type"])
            {
                case "text":
                    var text = Escape((string?)node!["text"] ?? "");
                    var strong = node["marks"] is JsonArray marks && marks.Any(m => (string?)m?["type"] == "strong");
                    sb.Append(strong ? $"*{text}*" : text);
                    break;
                case "hardBreak":
                    sb.Append('\n');
                    break;
                case "mention":
                    sb.Append("[~accountid:").Append((string?)node!["attrs"]?["id"]).Append(']');
                    break;
                default:
                    sb.Append((string?)node?["attrs"]?["text"] ?? (string?)node?["attrs"]?["shortName"] ?? "");
                    break;
            }
        }
        return sb.ToString();
    }

    private static string Escape(string text) => text.Replace("[~", "\\[~", StringComparison.Ordinal);

    [GeneratedRegex(@"\{(?:code(?::(?<lang>[^}\n]+))?|noformat)\}\n?(?<body>.*?)\n?\{(?:code|noformat)\}", RegexOptions.Singleline)]
    private static partial Regex CodeMacro();
}
