using System.Globalization;
using System.Text.RegularExpressions;
using Incidents.Benchmarks.Infrastructure;

namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// Waits until the service has nothing left to do, then compares the end state in the simulators (rooms, ticket
/// comments) and the database (channels, outbox) with what the tickets' lives require.
/// </summary>
internal static partial class EndState
{
    /// <summary>Polls until no outbox row is pending and every channel is removed (or only dead work is left).</summary>
    public static async Task<Database.Progress> SettleAsync(CampaignStack stack, TimeSpan timeout, CancellationToken ct)
    {
        var db = stack.Db;
        Database.Progress? last = null;
        try
        {
            return await Poll.UntilAsync("all work done", timeout, TimeSpan.FromMilliseconds(500), async t =>
            {
                await stack.WatchAsync(t);
                last = await db.ProgressAsync(t);
                return last is { Pending: 0, ChannelsNotRemoved: 0 } || (last.Pending == 0 && last.Dead > 0) ? last : null;
            }, ct);
        }
        catch (TimeoutException)
        {
            return last ?? await db.ProgressAsync(ct);
        }
    }

    /// <summary>
    /// The end-state checks shared by every campaign. <paramref name="expectedChannels"/>: per ticket number, the
    /// channel counts the ordering rule allows (null = any count ≥ 1).
    /// </summary>
    public static async Task<List<Check>> CheckAsync(CampaignStack stack, IReadOnlyDictionary<int, HashSet<int>?> expectedChannels, CancellationToken ct)
    {
        var progress = await stack.Db.ProgressAsync(ct);
        var channels = await stack.Db.ChannelsAsync(ct);
        var sim = await stack.SimState.ReadAsync(ct);
        var checks = new List<Check>
        {
            Check.Equal("incidents", expectedChannels.Count, channels.Select(c => c.TicketRef).Distinct().Count()),
            Check.Equal("outbox rows not done", 0, progress.Pending),
            Check.Equal("dead work", 0, progress.Dead),
            Check.Equal("service exits not caused by the campaign", 0, stack.UnexpectedExits.Count()),
        };

        // One channel per open period, as the ordering rule decides for the order actually sent.
        var byTicket = channels.GroupBy(c => c.TicketRef).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var wrongCount = 0;
        var expectedTotal = 0;
        foreach (var (number, allowed) in expectedChannels)
        {
            var have = byTicket.TryGetValue(TicketPayloads.TicketRef(number), out var list) ? list.Count : 0;
            expectedTotal += allowed is { Count: 1 } ? allowed.First() : have;
            if (have == 0 || (allowed is not null && !allowed.Contains(have)))
            {
                wrongCount++;
            }
        }

        checks.Add(new Check("channels per ticket as the ordering rule allows", $"{expectedChannels.Count} tickets right ({expectedTotal} channels)",
            $"{expectedChannels.Count - wrongCount} right ({channels.Count} channels)", wrongCount == 0));

        // Exactly one room per channel, none elsewhere, none left behind.
        var roomsByName = sim.Rooms.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var names = channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var duplicateRooms = roomsByName.Where(r => names.Contains(r.Key)).Sum(r => r.Value - 1);
        var missingRooms = channels.Count(c => !roomsByName.ContainsKey(c.Name));
        var strayRooms = sim.Rooms.Count(r => !names.Contains(r.Name));
        checks.Add(Check.Equal("rooms created per channel ≠ 1 (duplicates + missing)", 0, duplicateRooms + missingRooms));
        checks.Add(Check.Equal("rooms without a channel", 0, strayRooms));
        checks.Add(Check.Equal("channels not Removed", 0, channels.Count(c => c.Status != "Removed")));
        checks.Add(Check.Equal("leaked rooms (not deleted)", 0, sim.Rooms.Count(r => !r.Deleted)));

        // One transcript set per closed period: parts 1..n once each, for exactly the ticket's channels.
        var markers = sim.Comments.Select(c => (c.Number, Marker: MarkerRegex().Match(c.FirstLine))).ToList();
        var nonTranscript = markers.Count(m => !m.Marker.Success);
        var parts = markers.Where(m => m.Marker.Success).Select(m => (m.Number, Channel: Guid.ParseExact(m.Marker.Groups["channel"].Value, "N"),
            Part: int.Parse(m.Marker.Groups["part"].Value, CultureInfo.InvariantCulture), Parts: int.Parse(m.Marker.Groups["parts"].Value, CultureInfo.InvariantCulture))).ToList();
        var duplicateComments = parts.GroupBy(p => (p.Channel, p.Part)).Sum(g => g.Count() - 1);
        var channelIds = channels.ToDictionary(c => c.Id);
        var misplaced = parts.Count(p => !channelIds.TryGetValue(p.Channel, out var c) || c.TicketRef != TicketPayloads.TicketRef(p.Number));
        var incomplete = channels.Count(c =>
        {
            var mine = parts.Where(p => p.Channel == c.Id).ToList();
            return mine.Count == 0 || mine.Select(p => p.Part).Distinct().Count() != mine[0].Parts || mine.Any(p => p.Parts != mine[0].Parts);
        });
        checks.Add(Check.Equal("duplicate transcript comments (same channel and part)", 0, duplicateComments));
        checks.Add(Check.Equal("channels without exactly one complete transcript set", 0, incomplete));
        checks.Add(Check.Equal("transcript comments on the wrong ticket or for no channel", 0, misplaced));
        checks.Add(Check.Equal("other comments posted", 0, nonTranscript));
        return checks;
    }

    [GeneratedRegex(@"^<!-- incidents:transcript channel=(?<channel>[0-9a-f]{32}) part=(?<part>\d+)/(?<parts>\d+) ")]
    private static partial Regex MarkerRegex();
}
