namespace Incidents.Benchmarks.Infrastructure;

/// <summary>The repository root and the build outputs of the projects the benchmark starts.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Configuration this benchmark was built in (its output is <c>bin/&lt;Configuration&gt;/net10.0/</c>).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    public static string ApiDll => Built("src/Incidents.Api", "Incidents.Api.dll");

    public static string MigrationsDll => Built("migrations/Incidents.Migrations", "Incidents.Migrations.dll");

    public static string SimulatorsDll => Built("src/Incidents.Simulators", "Incidents.Simulators.dll");

    public static string Payload(string file) => Path.Combine(Root, "src", "Incidents.Simulators", "Payloads", "GitHub", file);

    public static string BenchmarksDoc => Path.Combine(Root, "docs", "benchmarks.md");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the benchmark first (dotnet build -c {Configuration} tests/Incidents.Benchmarks).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Incidents.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Incidents.sln not found above " + AppContext.BaseDirectory);
    }
}
