namespace Incidents.Benchmarks.Campaigns;

/// <summary>
/// The documented ordering rule (docs/decisions/0003-stale-transitions.md) as a model: the first event seen opens the
/// first period (even a close); a transition not newer than the last applied one is stale; a newer open starts a new
/// period. Used to compute the expected number of channels from the order the deliveries were actually sent.
/// </summary>
internal static class PeriodModel
{
    private const int MaxOrders = 40_320;

    /// <summary>Channels the ticket ends with when its transitions are applied in this order.</summary>
    public static int Periods(IEnumerable<Transition> order)
    {
        var stateAt = DateTimeOffset.MinValue;
        var open = false;
        var periods = 0;
        foreach (var t in order)
        {
            if (periods == 0)
            {
                open = t.Kind != TransitionKind.Close;
                stateAt = t.Kind == TransitionKind.Comment ? t.CreatedAt : t.At;
                periods = 1;
                continue;
            }

            if (t.Kind == TransitionKind.Comment || t.At <= stateAt)
            {
                continue;
            }

            stateAt = t.At;
            var target = t.Kind == TransitionKind.Open;
            if (target && !open)
            {
                periods++;
            }

            open = target;
        }

        return periods;
    }

    /// <summary>
    /// Every channel count possible when the groups are applied in order but the transitions inside one group (sent
    /// concurrently) in any order. Null when there are too many orders to enumerate.
    /// </summary>
    public static HashSet<int>? Possible(IReadOnlyList<IReadOnlyList<Transition>> groups)
    {
        long orders = 1;
        foreach (var group in groups)
        {
            for (var i = 2; i <= group.Count; i++)
            {
                orders *= i;
            }

            if (orders > MaxOrders)
            {
                return null;
            }
        }

        var results = new HashSet<int>();
        Enumerate(groups, 0, [], results);
        return results;
    }

    private static void Enumerate(IReadOnlyList<IReadOnlyList<Transition>> groups, int index, List<Transition> prefix, HashSet<int> results)
    {
        if (index == groups.Count)
        {
            results.Add(Periods(prefix));
            return;
        }

        foreach (var permutation in Permutations(groups[index]))
        {
            var next = new List<Transition>(prefix);
            next.AddRange(permutation);
            Enumerate(groups, index + 1, next, results);
        }
    }

    private static IEnumerable<List<Transition>> Permutations(IReadOnlyList<Transition> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest))
            {
                tail.Insert(0, items[i]);
                yield return tail;
            }
        }
    }
}
