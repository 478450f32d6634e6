namespace Incidents.Simulators.Seeding;

/// <summary>JSON body of <c>POST /_sim/seed</c>: fills an existing room with a synthetic conversation.</summary>
internal sealed class SeedRequest
{
    /// <summary>Name or id of an existing (not deleted) room.</summary>
    public string? Room { get; init; }

    /// <summary>Messages in total: top-level messages (thread roots included) plus every thread reply.</summary>
    public int Messages { get; init; } = 1000;

    /// <summary>Thread roots among the top-level messages.</summary>
    public int Threads { get; init; }

    /// <summary>Replies of every thread (exactly this many each).</summary>
    public int RepliesPerThread { get; init; }

    /// <summary>Top-level messages that carry one file each.</summary>
    public int Files { get; init; }

    /// <summary>Size of each file, filled with deterministic random bytes.</summary>
    public int FileBytes { get; init; } = 65536;

    /// <summary>Seed of texts, authors, reply placement and file bytes.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Timestamp of the first message; the simulator's clock when null.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Milliseconds between consecutive timestamps.</summary>
    public int SpacingMs { get; init; } = 1;

    /// <summary>0: every message has its own timestamp; N &gt; 0: N consecutive messages share one timestamp (bursts).</summary>
    public int BurstEvery { get; init; }

    public const int MaxMessages = 2_000_000;
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Why the request cannot be seeded, else null.</summary>
    public string? Problem() => this switch
    {
        { Room: null or "" } => "room is required",
        { Messages: < 0 or > MaxMessages } => $"messages must be 0..{MaxMessages}",
        { Threads: < 0 } or { RepliesPerThread: < 0 } or { Files: < 0 } => "threads, repliesPerThread and files must not be negative",
        { FileBytes: < 0 or > MaxFileBytes } => $"fileBytes must be 0..{MaxFileBytes}",
        { SpacingMs: < 0 } or { BurstEvery: < 0 } => "spacingMs and burstEvery must not be negative",
        _ when (long)Threads * (RepliesPerThread + 1L) > Messages => "threads × (repliesPerThread + 1) exceeds messages",
        _ when Files > TopLevel => "files exceeds the number of top-level messages",
        _ => null,
    };

    public int TopLevel => Messages - (Threads * RepliesPerThread);
}
