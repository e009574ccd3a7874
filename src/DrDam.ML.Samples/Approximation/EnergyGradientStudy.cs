using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Rendering;
using Spectre.Console;

namespace DrDam.ML.Samples.Approximation;

/// <summary>
/// The paper's Fig. 3: K random binary patterns stored; the mean absolute energy error and mean L2
/// gradient error of DrDAM against MrDAM at queries "at" stored patterns, "near" them (10% of bits
/// flipped) and "far" (new random patterns), over Y, β, D and basis.
/// </summary>
internal sealed class EnergyGradientStudy : IApproximationStudy
{
    /// <summary>The fraction of bits flipped to make a near query.</summary>
    public const double NearFlipFraction = 0.1;

    /// <summary>
    /// The points measured: every combination of dimension, β, basis and Y, for each query kind;
    /// each error is averaged over <paramref name="Draws"/> independent draws of Ω.
    /// </summary>
    public sealed record Grid(int[] Dimensions, double[] Betas, FeatureBasisKind[] Bases, int[] FeatureCounts, int Stored, int Queries, int Draws = 1);

    public string Name => "energy-gradient";

    /// <summary>
    /// Full: the paper's D ∈ {16, 64, 256}, β ∈ {1, 10, 30, 50}, K = 500, 500 queries of each kind,
    /// Y = 2⁹…2¹⁶, four bases, 3 draws of Ω. Quick: Y ≤ 2¹², two bases, 200 queries, one draw.
    /// </summary>
    public static Grid For(StudySettings settings) => settings.Quick
        ? new([16, 64, 256], [1, 10, 30, 50], [FeatureBasisKind.SinCos, FeatureBasisKind.PositiveExp], StudyMemories.PowersOfTwo(9, 12), 500, 200)
        : new([16, 64, 256], [1, 10, 30, 50], Enum.GetValues<FeatureBasisKind>(), StudyMemories.PowersOfTwo(9, 16), 500, 500, Draws: 3);

    public IReadOnlyList<ApproximationRow> Run(StudySettings settings, IProgress<double>? progress) => Run(For(settings), settings.Seed, progress, settings.Omega);

    public static IReadOnlyList<ApproximationRow> Run(Grid grid, int seed, IProgress<double>? progress = null, ProjectionStorage omega = ProjectionStorage.Cached)
    {
        var rows = new List<ApproximationRow>();
        var (done, total) = (0, grid.Dimensions.Length * grid.Betas.Length * grid.Bases.Length * grid.FeatureCounts.Length);
        foreach (var d in grid.Dimensions)
        {
            var random = BinaryPatterns.Generator(seed, d);
            var stored = BinaryPatterns.Random(grid.Stored, d, random);
            var queries = new (string Kind, float[] States)[]
            {
                ("at", stored[..(grid.Queries * d)]),
                ("near", BinaryPatterns.Flip(stored, grid.Queries, d, NearFlipFraction, random)),
                ("far", BinaryPatterns.Random(grid.Queries, d, random)),
            };
            foreach (var beta in grid.Betas)
                rows.AddRange(ErrorSweep.Measure(stored, d, beta, grid.Bases, grid.FeatureCounts, grid.Draws, seed, omega, queries,
                    () => progress?.Report((double)++done / total)));
        }
        return rows;
    }

    public Table Summarize(IReadOnlyList<ApproximationRow> rows)
    {
        var table = new Table().Title("DrDAM vs MrDAM: mean |ΔE| and mean ‖Δ∇E‖ (slope: log–log fit of |ΔE| over Y)");
        foreach (var column in new[] { "basis", "D", "β", "query", "|ΔE| at Y min", "|ΔE| at Y max", "slope", "‖Δ∇E‖ at Y max" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var series in rows.GroupBy(r => (r.Basis, r.Dimension, r.Beta, r.Query)))
        {
            var ordered = series.OrderBy(r => r.Features).ToList();
            table.AddRow(series.Key.Basis!, $"{series.Key.Dimension}", StudyFormat.Number(series.Key.Beta), series.Key.Query!,
                StudyFormat.Number(ordered[0].EnergyError), StudyFormat.Number(ordered[^1].EnergyError),
                Slope(ordered), StudyFormat.Number(ordered[^1].GradientError));
        }
        return table;
    }

    public IReadOnlyList<string> Plot(IReadOnlyList<ApproximationRow> rows, string folder)
    {
        var files = new List<string>();
        foreach (var basis in rows.Select(r => r.Basis!).Distinct())
            foreach (var (metric, label, select) in StudyFormat.ErrorMeasures)
            {
                var panels = new List<LinePlot>();
                foreach (var query in new[] { "at", "near", "far" })
                {
                    var plot = new LinePlot($"{basis}, {query} queries", "log₂ Y", label) { LogY = true };
                    var selected = rows.Where(r => r.Basis == basis && r.Query == query).ToList();
                    var betas = selected.Select(r => r.Beta!.Value).Distinct().Order().ToList();
                    var dimensions = selected.Select(r => r.Dimension!.Value).Distinct().Order().ToList();
                    foreach (var series in selected.GroupBy(r => (r.Beta!.Value, r.Dimension!.Value)))
                    {
                        var points = series.OrderBy(r => r.Features).ToList();
                        plot.Add($"β={series.Key.Item1}, D={series.Key.Item2}", points.Select(r => StudyFormat.Log2(r.Features)).ToList(),
                            points.Select(r => select(r) ?? double.NaN).ToList(), betas.IndexOf(series.Key.Item1), dimensions.IndexOf(series.Key.Item2));
                    }
                    panels.Add(plot);
                }
                var path = Path.Combine(folder, $"energy-gradient-{basis}-{metric}.png");
                PlotPanels.Save(path, panels);
                files.Add(path);
            }
        return files;
    }

    private static string Slope(IReadOnlyList<ApproximationRow> ordered)
        => ordered.All(r => r.EnergyError > 0)
            ? StudyFormat.Number(LogLogSlope.Fit(ordered.Select(r => (double)r.Features!.Value).ToList(), ordered.Select(r => r.EnergyError!.Value).ToList()))
            : "-";
}
