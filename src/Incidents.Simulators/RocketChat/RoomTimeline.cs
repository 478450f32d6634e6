namespace Incidents.Simulators.RocketChat;

/// <summary>Messages of one room ordered by (ts, insertion sequence).</summary>
internal sealed class RoomTimeline
{
    private readonly List<MessageRecord> _items = [];

    public int Count => _items.Count;

    public IReadOnlyList<MessageRecord> Items => _items;

    public void Insert(MessageRecord message)
    {
        if (_items.Count == 0 || _items[^1].Ts <= message.Ts)
        {
            _items.Add(message);
            return;
        }

        _items.Insert(FirstIndexAfter(message.Ts), message);
    }

    public void Remove(MessageRecord message) => _items.Remove(message);

    public void Clear() => _items.Clear();

    /// <summary>Newest first, bounded by <paramref name="latest"/> and <paramref name="oldest"/>.</summary>
    public IEnumerable<MessageRecord> Descending(DateTimeOffset? latest, DateTimeOffset? oldest, bool inclusive)
    {
        var start = latest is { } l
            ? (inclusive ? FirstIndexAfter(l) : FirstIndexAtOrAfter(l)) - 1
            : _items.Count - 1;
        for (var i = start; i >= 0; i--)
        {
            var message = _items[i];
            if (oldest is { } o && (inclusive ? message.Ts < o : message.Ts <= o))
            {
                yield break;
            }

            yield return message;
        }
    }

    private int FirstIndexAfter(DateTimeOffset ts)
    {
        int lo = 0, hi = _items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_items[mid].Ts <= ts) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private int FirstIndexAtOrAfter(DateTimeOffset ts)
    {
        int lo = 0, hi = _items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_items[mid].Ts < ts) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }
}
