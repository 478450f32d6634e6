using Incidents.Chat;

namespace Incidents.Transcripts;

/// <summary>A top-level message with its thread replies (or a reply whose root no longer exists).</summary>
internal sealed record TranscriptEntry(ChatMessage Message, IReadOnlyList<ChatMessage> Replies, bool OrphanReply);
