namespace Incidents.Benchmarks.Campaigns;

/// <summary>What a campaign did and found; one row of docs/reliability.md.</summary>
internal sealed record CampaignResult(string Name, string Load, string Faults, List<Check> Checks, IReadOnlyList<string> Figures)
{
    public bool Passed => Checks.All(c => c.Passed);
}
