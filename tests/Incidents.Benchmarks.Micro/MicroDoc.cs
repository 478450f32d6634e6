namespace Incidents.Benchmarks.Micro;

/// <summary>Replaces (or appends) the micro section of docs/benchmarks.md, leaving the rest alone.</summary>
internal static class MicroDoc
{
    public const string Start = "<!-- bench:micro:start -->";
    public const string End = "<!-- bench:micro:end -->";

    public static void Write(string section)
    {
        var path = MicroPaths.BenchmarksDoc;
        var text = File.ReadAllText(path);
        var from = text.IndexOf(Start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(End, from, StringComparison.Ordinal);
        text = from >= 0 && to >= 0
            ? text[..from] + section + text[(to + End.Length)..].TrimStart('\n')
            : text.TrimEnd('\n') + "\n\n" + section;
        File.WriteAllText(path, text);
    }
}
