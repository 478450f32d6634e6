namespace Incidents.Benchmarks.Micro;

internal static class MicroPaths
{
    public static string Root { get; } = FindRoot();

    public static string Payload(string file) => Path.Combine(Root, "src", "Incidents.Simulators", "Payloads", "GitHub", file);

    public static string BenchmarksDoc => Path.Combine(Root, "docs", "benchmarks.md");

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Incidents.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Incidents.sln not found above the current or the build directory");
    }
}
