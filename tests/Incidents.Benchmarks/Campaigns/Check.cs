namespace Incidents.Benchmarks.Campaigns;

/// <summary>One expectation of a campaign and what was observed.</summary>
internal sealed record Check(string Name, string Expected, string Observed, bool Passed)
{
    public static Check Equal(string name, long expected, long observed) =>
        new(name, expected.ToString(System.Globalization.CultureInfo.InvariantCulture), observed.ToString(System.Globalization.CultureInfo.InvariantCulture), expected == observed);

    public static Check AtMost(string name, double limit, double observed, string unit = "") =>
        new(name, $"≤ {limit:0.##}{unit}", $"{observed:0.##}{unit}", observed <= limit);

    public static Check AtLeast(string name, double limit, double observed, string unit = "") =>
        new(name, $"≥ {limit:0.##}{unit}", $"{observed:0.##}{unit}", observed >= limit);

    public override string ToString() => $"  [{(Passed ? "PASS" : "FAIL")}] {Name}: expected {Expected}, observed {Observed}";
}
