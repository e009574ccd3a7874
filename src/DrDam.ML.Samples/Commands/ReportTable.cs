using System.Collections;
using System.Globalization;
using Spectre.Console;

namespace DrDam.ML.Samples.Commands;

/// <summary>
/// A job's report as the two-column table a command prints (the same report `--json` writes). A nested measure, per
/// representation or per backend, takes a line per part; a list takes one line (numbers) or a line per item (files).
/// </summary>
internal static class ReportTable
{
    public static Table Of(IEnumerable<KeyValuePair<string, object?>> report)
    {
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (key, value) in report)
            table.AddRow(key, Markup.Escape(Text(value)));
        return table;
    }

    /// <summary>One value as the table shows it: "-" for none, numbers to 6 significant digits, "part: value" lines for a dictionary.</summary>
    public static string Text(object? value) => value switch
    {
        null => "-",
        string text => text,
        double number => number.ToString("G6", CultureInfo.InvariantCulture),
        float number => number.ToString("G6", CultureInfo.InvariantCulture),
        IDictionary parts => string.Join("\n", parts.Keys.Cast<object>().Select(part => $"{part}: {Text(parts[part])}")),
        IEnumerable<string> lines => string.Join("\n", lines),
        IEnumerable items => string.Join(" ", items.Cast<object?>().Select(Text)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
