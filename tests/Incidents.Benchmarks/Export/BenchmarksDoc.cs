namespace Incidents.Benchmarks.Export;

/// <summary>Replaces (or appends) one benchmark's marked section of docs/benchmarks.md, leaving the rest alone.</summary>
internal static class BenchmarksDoc
{
    private const string Preamble = """
        # Benchmarks

        Each section is written by its benchmark driver in `tests/Incidents.Benchmarks`; rerunning a benchmark replaces
        the text between its `<!-- bench:… -->` markers and leaves the rest of this file alone.

        """;

    public static void Write(string path, string start, string end, string section)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : Preamble.ReplaceLineEndings("\n");
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from, StringComparison.Ordinal);
        if (from >= 0 && to >= 0)
        {
            var after = to + end.Length;
            if (after < text.Length && text[after] == '\n')
            {
                after++;
            }

            text = text[..from] + section + text[after..];
        }
        else
        {
            text = text.TrimEnd('\n') + "\n\n" + section;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
