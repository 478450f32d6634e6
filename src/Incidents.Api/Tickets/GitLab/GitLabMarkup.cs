using Incidents.Chat;
using Incidents.Transcripts;
using Incidents.Transcripts.Markup;

namespace Incidents.Tickets.GitLab;

/// <summary>
/// GitLab-flavoured Markdown: the transcript renders exactly like <see cref="MarkdownMarkup"/>, except that a chat line
/// starting with <c>/</c> outside a code block is written <c>\/</c>. GitLab reads such lines in a note as quick
/// actions (<c>/close</c>, <c>/label ~x</c>, <c>/assign @me</c>…), executes them with the service's token and deletes
/// them from the stored note; the backslash escape renders as a plain <c>/</c> and keeps both from happening.
/// Code blocks stay byte for byte: GitLab skips quick actions inside fenced code.
/// </summary>
internal sealed class GitLabMarkup : TicketMarkup
{
    public static readonly GitLabMarkup Instance = new();

    private const string Fence = "```";

    private static readonly MarkdownMarkup Markdown = MarkdownMarkup.Instance;

    public override string Name => "gitlab-markdown";

    public override string MarkerLine(string marker) => Markdown.MarkerLine(marker);

    public override string Header(TranscriptHeader header, int part, int parts) => Markdown.Header(header, part, parts);

    public override string Message(ChatMessage message, string prefix, IReadOnlyDictionary<string, TranscriptFile> files) =>
        NeutraliseQuickActions(Markdown.Message(message, prefix, files));

    public override string Reply(string block) => Markdown.Reply(block);

    public override string NoMessages => Markdown.NoMessages;

    public override string Rule => Markdown.Rule;

    public override string Manifest(TranscriptManifest manifest) => Markdown.Manifest(manifest);

    public override TranscriptManifest? ReadManifest(string text) => Markdown.ReadManifest(text);

    /// <summary>Escapes the leading <c>/</c> of every line outside fenced code.</summary>
    public static string NeutraliseQuickActions(string text)
    {
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            return text;
        }
        var lines = text.Split('\n');
        var inCode = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith(Fence, StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode && lines[i].StartsWith('/'))
            {
                lines[i] = "\\" + lines[i];
            }
        }
        return string.Join('\n', lines);
    }
}
