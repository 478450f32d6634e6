namespace Incidents.Chat;

/// <summary>
/// Where a paged history read continues: small enough to be checkpointed after every page, so an export
/// resumes after a crash instead of starting over.
/// </summary>
/// <param name="Latest">Upper bound (the oldest timestamp read so far, as the server wrote it); null on the first page.</param>
/// <param name="Inclusive">Whether <paramref name="Latest"/> itself is included (messages sharing the boundary instant).</param>
/// <param name="Instant">Set while paging with offsets inside one millisecond that holds more than a page.</param>
/// <param name="Offset">Offset inside <paramref name="Instant"/>.</param>
/// <param name="Seen">Ids already returned at the boundary instant, dropped when they come again.</param>
internal sealed record HistoryCursor(string? Latest, bool Inclusive, string? Instant, int Offset, IReadOnlyList<string> Seen)
{
    public static readonly HistoryCursor Start = new(null, false, null, 0, []);
}

/// <summary>One page of history, newest first, and where to continue (null: the history is complete).</summary>
internal sealed record HistoryPage(IReadOnlyList<ChatMessage> Messages, HistoryCursor? Next);

/// <summary>A downloaded file, or why it could not be kept.</summary>
internal sealed record FileDownload(byte[]? Bytes, string? Problem);
