namespace Incidents.Benchmarks.Stack;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile (0 &lt; p ≤ 100) of unsorted values.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyCollection<double> values) => Of(values, 50);
}
