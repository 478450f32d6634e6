using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Export;

/// <summary>Everything one export run measured.</summary>
internal sealed record ExportResult
{
    public required ExportOptions Options { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Command { get; init; }
    public required string Date { get; init; }
    public required string PostgresVersion { get; init; }
    public required int SeededMessages { get; init; }
    public required int SeededThreads { get; init; }
    public required int SeededReplies { get; init; }
    public required int SeededFiles { get; init; }
    public required double SeedSeconds { get; init; }
    public required long TranscriptMessages { get; init; }
    public required long TranscriptThreads { get; init; }
    public required long TranscriptFiles { get; init; }
    public required double ExportSeconds { get; init; }
    public required IReadOnlyList<(string Status, double Seconds)> Transitions { get; init; }
    public required IReadOnlyList<(string Status, double MaxRssMb)> PhasePeaks { get; init; }
    public required double RssBeforeCloseMb { get; init; }
    public required double HwmBeforeCloseMb { get; init; }
    public required double PeakHwmMb { get; init; }
    public required double MaxSampledRssMb { get; init; }
    public required int HistoryCalls { get; init; }
    public required int ExportPages { get; init; }
    public required IReadOnlyDictionary<string, int> RocketChatCalls { get; init; }
    public required IReadOnlyDictionary<string, int> GitHubCalls { get; init; }
    public required long JsonBytes { get; init; }
    public required long MarkdownBytes { get; init; }
    public required long HtmlBytes { get; init; }
    public required int Parts { get; init; }
    public required int CapturedMessages { get; init; }
    public string? Failure { get; init; }

    /// <summary>Messages in the room as the export saw them: the transcript's <c>counts.messages</c>, else the captured count.</summary>
    public long RoomMessages => TranscriptMessages > 0 ? TranscriptMessages : CapturedMessages;

    public bool Completed => Failure is null;

    public int MinimumHistoryCalls => (int)(RoomMessages / ExportOptions.PageSize) + 1;

    public double CallRatio => (double)HistoryCalls / MinimumHistoryCalls;

    public double MessagesPerSecond => RoomMessages / ExportSeconds;

    /// <summary>The peak working set: the larger of the kernel's high-water mark and the largest 100 ms sample.</summary>
    public double PeakMb => Math.Max(PeakHwmMb, MaxSampledRssMb);

    public bool MemoryHolds => PeakMb < ExportOptions.MaxPeakMegabytes;

    public bool CallsHold => HistoryCalls <= ExportOptions.MaxCallRatio * MinimumHistoryCalls;

}
