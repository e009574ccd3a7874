using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Clustering;
using DrDam.ML.Samples.Rendering;
using Spectre.Console;

namespace DrDam.ML.Samples.Approximation;

/// <summary>
/// The paper's Fig. 6, the basis ablation: the four feature maps compared on 16-dimensional tabular
/// data (scikit-learn's digits, 8×8 pooled 2×2 to 4×4, scaled into [0, 1/√D]); 500 rows stored,
/// the energy and gradient errors at them ("at") and at 400 held-out rows ("far"), over Y and β.
/// </summary>
internal sealed class BasisStudy : IApproximationStudy
{
    /// <summary>D of the pooled digits.</summary>
    public const int Dimension = 16;

    /// <summary>The points measured; each error is averaged over <paramref name="Draws"/> independent draws of Ω.</summary>
    public sealed record Grid(double[] Betas, FeatureBasisKind[] Bases, int[] FeatureCounts, int Stored, int Held, int Draws = 1);

    public string Name => "basis";

    /// <summary>Full: β ∈ {1, 10, 30, 50, 100}, Y = 2⁶…2¹⁵, 500 stored, 400 held out, 5 draws of Ω. Quick: Y ≤ 2¹², one draw.</summary>
    public static Grid For(StudySettings settings) => settings.Quick
        ? new([1, 10, 30, 50, 100], Enum.GetValues<FeatureBasisKind>(), StudyMemories.PowersOfTwo(6, 12), 500, 400)
        : new([1, 10, 30, 50, 100], Enum.GetValues<FeatureBasisKind>(), StudyMemories.PowersOfTwo(6, 15), 500, 400, Draws: 5);

    public IReadOnlyList<ApproximationRow> Run(StudySettings settings, IProgress<double>? progress) => Run(For(settings), settings.Seed, progress, settings.Omega);

    public static IReadOnlyList<ApproximationRow> Run(Grid grid, int seed, IProgress<double>? progress = null, ProjectionStorage omega = ProjectionStorage.Cached)
    {
        var rows = PooledDigits(seed);
        if (rows.Length < grid.Stored + grid.Held)
            throw new InvalidOperationException($"digits has {rows.Length} rows; the study needs {grid.Stored + grid.Held}.");
        var stored = rows[..grid.Stored].SelectMany(r => r).ToArray();
        var queries = new (string Kind, float[] States)[]
        {
            ("at", rows[..grid.Held].SelectMany(r => r).ToArray()),
            ("far", rows[grid.Stored..(grid.Stored + grid.Held)].SelectMany(r => r).ToArray()),
        };
        var result = new List<ApproximationRow>();
        var (done, total) = (0, grid.Betas.Length * grid.Bases.Length * grid.FeatureCounts.Length);
        foreach (var beta in grid.Betas)
            result.AddRange(ErrorSweep.Measure(stored, Dimension, beta, grid.Bases, grid.FeatureCounts, grid.Draws, seed, omega, queries,
                () => progress?.Report((double)++done / total)));
        return result;
    }

    /// <summary>The digits rows in a seeded order, each pooled to 4×4 and scaled from [0, 16] into [0, 1/√16].</summary>
    public static float[][] PooledDigits(int seed)
    {
        var digits = TabularData.Dataset("digits").Features;
        var pooled = digits.Select(row =>
        {
            var cells = new float[Dimension];
            for (var i = 0; i < 64; i++)
                cells[i / 16 * 4 + i % 8 / 2] += row[i] / (4 * 16 * MathF.Sqrt(Dimension));
            return cells;
        }).ToArray();
        new Random(seed).Shuffle(pooled);
        return pooled;
    }

    public Table Summarize(IReadOnlyList<ApproximationRow> rows)
    {
        var maxY = rows.Max(r => r.Features!.Value);
        var bases = rows.Select(r => r.Basis!).Distinct().ToList();
        var table = new Table().Title($"Basis ablation on pooled digits (D = 16): mean |ΔE| / mean ‖Δ∇E‖ at Y = {maxY}");
        table.AddColumn("β").AddColumn("query");
        foreach (var basis in bases)
            table.AddColumn(new TableColumn(basis).RightAligned());
        foreach (var group in rows.Where(r => r.Features == maxY).GroupBy(r => (r.Beta, r.Query)))
            table.AddRow([StudyFormat.Number(group.Key.Beta), group.Key.Query!,
                .. bases.Select(b => group.FirstOrDefault(r => r.Basis == b) is { } r ? $"{StudyFormat.Number(r.EnergyError)} / {StudyFormat.Number(r.GradientError)}" : "-")]);
        return table;
    }

    public IReadOnlyList<string> Plot(IReadOnlyList<ApproximationRow> rows, string folder)
    {
        var files = new List<string>();
        var bases = rows.Select(r => r.Basis!).Distinct().ToList();
        foreach (var (metric, label, select) in StudyFormat.ErrorMeasures)
        {
            var panels = new List<LinePlot>();
            foreach (var beta in rows.GroupBy(r => r.Beta!.Value).Where(g => g.Key > 1))
            {
                var plot = new LinePlot($"basis ablation, β={beta.Key}", "log₂ Y", label) { LogY = true };
                foreach (var series in beta.GroupBy(r => (r.Basis!, r.Query!)))
                {
                    var points = series.OrderBy(r => r.Features).ToList();
                    plot.Add($"{series.Key.Item1}, {series.Key.Item2}", points.Select(r => StudyFormat.Log2(r.Features)).ToList(),
                        points.Select(r => select(r) ?? double.NaN).ToList(), bases.IndexOf(series.Key.Item1), series.Key.Item2 == "at" ? 0 : 1);
                }
                panels.Add(plot);
            }
            var path = Path.Combine(folder, $"basis-{metric}.png");
            PlotPanels.Save(path, panels, panelWidth: 560);
            files.Add(path);
        }
        return files;
    }
}
