using System.Diagnostics;
using System.Text.Json.Nodes;
using Incidents.Simulators.Hosting;

namespace Incidents.Simulators.Seeding;

/// <summary>
/// Fills an existing room through <see cref="RocketChatState.SeedMessage(MessageSeed)"/>: top-level messages, every
/// <c>topLevel / threads</c>-th of them a thread root that gets exactly <c>repliesPerThread</c> replies spread over
/// the following messages, and files on evenly spaced top-level messages. Timestamps only increase.
/// </summary>
internal static class ChannelSeeder
{
    private static readonly (string Username, string Name)[] People =
        [("alice", "Alice Andersen"), ("bob", "Bob Brown"), ("carol", "Carol Castillo"), ("dave", "Dave Dubois")];

    public static JsonObject Seed(RocketChatState state, SeedRequest request, RoomSnapshot room)
    {
        var clock = Stopwatch.StartNew();
        var authors = EnsurePeople(state);
        var random = new Random(request.Seed);
        var text = new SeedText(random);
        var start = IsoTime.TruncateToMillis(request.Start ?? state.Now());
        var topLevel = request.TopLevel;
        var totalReplies = request.Threads * request.RepliesPerThread;
        var rootStride = request.Threads == 0 ? int.MaxValue : topLevel / request.Threads;
        var fileStride = request.Files == 0 ? int.MaxValue : topLevel / request.Files;
        var open = new List<(string Id, int Left)>();
        int index = 0, roots = 0, replies = 0, files = 0, owed = 0;
        long fileBytes = 0;
        DateTimeOffset? first = null, last = null;

        for (var i = 0; i < topLevel; i++)
        {
            var isRoot = roots < request.Threads && i % rootStride == 0;
            SeedFile? file = null;
            if (files < request.Files && i % fileStride == fileStride / 2)
            {
                file = File(request, ++files);
                fileBytes += file.Content.LongLength;
            }

            var id = Add(null, file).Id;
            if (isRoot)
            {
                roots++;
                if (request.RepliesPerThread > 0)
                {
                    open.Add((id, request.RepliesPerThread));
                }
            }

            // Spread the replies evenly over the top-level messages, always answering one of the three oldest open threads.
            owed += (int)(((i + 1L) * totalReplies / topLevel) - ((long)i * totalReplies / topLevel));
            for (; owed > 0 && open.Count > 0; owed--)
            {
                Reply(random.Next(Math.Min(open.Count, 3)));
            }
        }

        while (open.Count > 0)
        {
            Reply(0);
        }

        return new JsonObject
        {
            ["room"] = room.Name,
            ["roomId"] = room.Id,
            ["messages"] = index,
            ["topLevel"] = topLevel,
            ["threads"] = roots,
            ["replies"] = replies,
            ["files"] = files,
            ["fileBytes"] = fileBytes,
            ["first"] = first is { } f ? IsoTime.Millis(f) : null,
            ["last"] = last is { } l ? IsoTime.Millis(l) : null,
            ["roomMessages"] = state.Room(room.Id)?.MessageCount ?? 0,
            ["elapsedMs"] = clock.ElapsedMilliseconds,
        };

        void Reply(int slot)
        {
            var (rootId, left) = open[slot];
            Add(rootId, null);
            replies++;
            if (left == 1)
            {
                open.RemoveAt(slot);
            }
            else
            {
                open[slot] = (rootId, left - 1);
            }
        }

        MessageSnapshot Add(string? tmid, SeedFile? file)
        {
            var step = request.BurstEvery > 0 ? index / request.BurstEvery : index;
            var ts = start.AddMilliseconds((double)step * request.SpacingMs);
            index++;
            first ??= ts;
            last = ts;
            return state.SeedMessage(new MessageSeed
            {
                RoomId = room.Id,
                Text = text.Next(),
                Ts = ts,
                UserId = authors[random.Next(authors.Length)],
                Tmid = tmid,
                File = file,
            });
        }
    }

    /// <summary>Finds or creates the authors as one step: two seedings at once must not both create "alice".</summary>
    private static string[] EnsurePeople(RocketChatState state)
    {
        lock (state.Gate)
        {
            var existing = state.Users.ToDictionary(u => u.Username, u => u.Id, StringComparer.OrdinalIgnoreCase);
            return [.. People.Select(p => existing.TryGetValue(p.Username, out var id) ? id : state.AddUser(p.Username, p.Name).Id)];
        }
    }

    /// <summary>File n: every fourth a PNG screenshot, the rest log excerpts; bytes depend only on the seed and n.</summary>
    private static SeedFile File(SeedRequest request, int n)
    {
        var content = new byte[request.FileBytes];
        new Random(unchecked((request.Seed * 1_000_003) + n)).NextBytes(content);
        return n % 4 == 0
            ? new SeedFile($"screenshot-{n:D4}.png", "image/png", content)
            : new SeedFile($"log-{n:D4}.txt", "text/plain", content);
    }
}
