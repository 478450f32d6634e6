using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Incidents.Web;

namespace Incidents.UnitTests;

/// <summary>
/// Keeps docs/configuration.md in step with the options classes (every class with a
/// <c>public const string Section</c>) and README.md's configuration table in step with docs/configuration.md.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private const string NoDefault = "—";
    private const string DefaultColumn = "default";
    private const string RequiredColumn = "required";
    private const string EnvironmentColumn = "environment variable";

    private static readonly Lazy<string> RepoRoot = new(FindRepoRoot);
    private static readonly Lazy<IReadOnlyList<Option>> Options = new(FindOptions);
    private static readonly Lazy<IReadOnlyList<Row>> Reference = new(() => ReadKeyTables(Path.Combine(RepoRoot.Value, "docs", "configuration.md")));

    [Fact]
    public void OptionsClasses_InApiAssembly_AreFoundByTheirSectionConstant()
    {
        Assert.Contains(Options.Value, o => o.Type == typeof(AdminOptions) && o.Section == AdminOptions.Section);
        Assert.Contains(Options.Value, o => o.Type == typeof(global::Incidents.Data.DatabaseOptions) && o.Section == global::Incidents.Data.DatabaseOptions.Section);
        Assert.Contains(Options.Value, o => o.Type == typeof(ConnectionStringsOptions) && o.Section == ConnectionStringsOptions.Section);
    }

    [Fact]
    public void ConfigurationMd_EveryOption_HasARow()
    {
        var documented = Reference.Value.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = Options.Value.Where(o => !documented.Contains(o.Key)).Select(o => o.Key).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void ConfigurationMd_RowsUnderOptionSections_AreAllOptions()
    {
        var options = Options.Value.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var sections = Options.Value.Select(o => o.Section).Distinct(StringComparer.Ordinal).ToList();

        var stale = Reference.Value
            .Where(r => sections.Exists(s => r.Key.StartsWith(s + ":", StringComparison.Ordinal)) && !options.Contains(r.Key))
            .Select(r => $"{r.Key} (line {r.Line})")
            .ToList();

        Assert.Empty(stale);
    }

    [Fact]
    public void ConfigurationMd_Keys_AreDocumentedOnce()
    {
        var duplicates = Reference.Value.GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} (lines {string.Join(", ", g.Select(r => r.Line))})")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void ConfigurationMd_DocumentedDefaults_MatchANewInstance()
    {
        var mismatches = new List<string>();
        foreach (var option in Options.Value.Where(o => IsSimple(o.Property.PropertyType)))
        {
            var row = Reference.Value.FirstOrDefault(r => r.Key == option.Key);
            if (row is null)
            {
                continue; // reported by ConfigurationMd_EveryOption_HasARow
            }
            var expected = Documented(option.Default);
            var actual = row.Cell(DefaultColumn);
            if (actual != expected)
            {
                mismatches.Add($"{option.Key}: documented {actual ?? "(no default column)"}, the code uses {expected}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void ConfigurationMd_RequiredColumn_MatchesValidation()
    {
        var mismatches = new List<string>();
        foreach (var option in Options.Value)
        {
            var row = Reference.Value.FirstOrDefault(r => r.Key == option.Key);
            if (row is null)
            {
                continue;
            }
            var required = option.Property.GetCustomAttribute<RequiredAttribute>() is not null && Format(option.Default) is null;
            var expected = required ? "yes" : "no";
            var actual = row.Cell(RequiredColumn);
            if (actual != expected)
            {
                mismatches.Add($"{option.Key}: documented required '{actual}', the service {(required ? "refuses to start without it" : "starts without it")}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void ConfigurationMd_EnvironmentVariableColumn_IsTheKeyWithDoubleUnderscores()
    {
        var mismatches = Reference.Value
            .Where(r => Options.Value.Any(o => o.Key == r.Key))
            .Where(r => r.Cell(EnvironmentColumn) != $"`{r.Key.Replace(":", "__", StringComparison.Ordinal)}`")
            .Select(r => $"{r.Key}: {r.Cell(EnvironmentColumn)}")
            .ToList();

        Assert.Empty(mismatches);
    }

    [Fact]
    public void ReadmeConfigurationTable_Keys_AreAllInConfigurationMd()
    {
        var readme = ReadKeyTables(Path.Combine(RepoRoot.Value, "README.md"));
        var documented = Reference.Value.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var unknown = readme.Where(r => !documented.Contains(r.Key)).Select(r => $"{r.Key} (README.md line {r.Line})").ToList();

        Assert.NotEmpty(readme);
        Assert.Empty(unknown);
    }

    /// <summary>A configuration key bound to an options property, with the value a new instance holds.</summary>
    private sealed record Option(string Section, Type Type, PropertyInfo Property, object? Default)
    {
        public string Key => $"{Section}:{Property.Name}";
    }

    /// <summary>One key of a Markdown table whose first header cell is "key", with the row's cells by header.</summary>
    private sealed record Row(string Key, IReadOnlyDictionary<string, string> Cells, int Line)
    {
        public string? Cell(string column) => Cells.TryGetValue(column, out var value) ? value : null;
    }

    private static IReadOnlyList<Option> FindOptions()
    {
        var options = new List<Option>();
        foreach (var type in typeof(AdminOptions).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters))
        {
            var field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static);
            if (field is not { IsLiteral: true } || field.FieldType != typeof(string))
            {
                continue;
            }
            var section = (string)field.GetRawConstantValue()!;
            var instance = Activator.CreateInstance(type);
            options.AddRange(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .Select(p => new Option(section, type, p, p.GetValue(instance))));
        }
        return options;
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(Uri);
    }

    /// <summary>The default column's text for a value: the value in backticks as documented, or "—" when there is none.</summary>
    private static string Documented(object? value) => Format(value) is { } text ? $"`{text}`" : NoDefault;

    private static string? Format(object? value) => value switch
    {
        null or "" => null,
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Uri u => u.ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Every backticked key in the first column of the tables whose first header cell is "key".</summary>
    private static List<Row> ReadKeyTables(string path)
    {
        var lines = File.ReadAllLines(path);
        var rows = new List<Row>();
        string[]? header = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|'))
            {
                header = null;
                continue;
            }
            var cells = SplitRow(line);
            if (i + 1 < lines.Length && Separator().IsMatch(lines[i + 1]))
            {
                header = cells;
                i++;
                continue;
            }
            if (header is null || header.Length == 0 || !string.Equals(header[0], "key", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var byColumn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var c = 0; c < Math.Min(header.Length, cells.Length); c++)
            {
                byColumn[header[c]] = cells[c];
            }
            rows.AddRange(Code().Matches(cells[0]).Select(m => new Row(m.Groups[1].Value, byColumn, i + 1)));
        }
        return rows;
    }

    private static string[] SplitRow(string line)
    {
        var inner = line.Trim().Trim('|');
        return [.. UnescapedPipe().Split(inner).Select(c => c.Trim())];
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Incidents.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No folder containing Incidents.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();
}
