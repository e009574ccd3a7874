using DrDam.ML.Compute;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Rendering;
using Spectre.Console;

namespace DrDam.ML.Samples.Approximation;

/// <summary>
/// The paper's Fig. 4A: MrDAM and DrDAM (SinCos) descend from the same near queries (10% of bits
/// flipped) until they converge; both fixed points are binarised at 1/(2√D) and compared by their
/// normalised Hamming distance, over Y and β.
/// </summary>
internal sealed class RetrievalStudy : IApproximationStudy
{
    /// <summary>The points measured, and the descent that reaches each fixed point.</summary>
    public sealed record Grid(int[] Dimensions, double[] Betas, int[] FeatureCounts, int Stored, int Queries, double StepSize, int MaxSteps, double Tolerance);

    public string Name => "retrieval";

    /// <summary>
    /// Full: the paper's K = 500, η = 0.03, up to 1000 steps, β ∈ {10, 30, 40, 50}, D ∈ {30, 100, 500},
    /// Y = 2¹¹…2¹⁷ (the paper goes on to 5·10⁵), 100 queries. Quick: D = 30, β ∈ {10, 30, 50}, Y ≤ 2¹³, 50 queries, 300 steps.
    /// </summary>
    public static Grid For(StudySettings settings) => settings.Quick
        ? new([30], [10, 30, 50], StudyMemories.PowersOfTwo(10, 13), 500, 50, 0.03, 300, 1e-7)
        : new([30, 100, 500], [10, 30, 40, 50], StudyMemories.PowersOfTwo(11, 17), 500, 100, 0.03, 1000, 1e-7);

    public IReadOnlyList<ApproximationRow> Run(StudySettings settings, IProgress<double>? progress) => Run(For(settings), settings.Seed, progress, settings.Omega);

    public static IReadOnlyList<ApproximationRow> Run(Grid grid, int seed, IProgress<double>? progress = null, ProjectionStorage omega = ProjectionStorage.Cached)
    {
        var rows = new List<ApproximationRow>();
        var options = new RetrievalOptions { StepSize = grid.StepSize, MaxSteps = grid.MaxSteps, Tolerance = grid.Tolerance };
        var (done, total) = (0, grid.Dimensions.Length * grid.Betas.Length * grid.FeatureCounts.Length);
        foreach (var d in grid.Dimensions)
        {
            var random = BinaryPatterns.Generator(seed, d);
            var stored = BinaryPatterns.Random(grid.Stored, d, random);
            var queries = BinaryPatterns.Flip(stored, grid.Queries, d, EnergyGradientStudy.NearFlipFraction, random);
            foreach (var beta in grid.Betas)
            {
                var exact = StudyMemories.Exact(stored, d, beta).Retrieve(queries, grid.Queries, options);
                foreach (var y in grid.FeatureCounts)
                {
                    var approximate = StudyMemories.Distributed(stored, d, beta, FeatureBasisKind.SinCos, y, seed, omega).Retrieve(queries, grid.Queries, options);
                    rows.Add(new ApproximationRow
                    {
                        Basis = StudyFormat.Name(FeatureBasisKind.SinCos), Beta = beta, Dimension = d, Stored = grid.Stored, Features = y, Query = "near",
                        StepSize = grid.StepSize, Hamming = BinaryPatterns.HammingDistance(exact.States, approximate.States, d), Steps = approximate.Steps.Average(),
                    });
                    progress?.Report((double)++done / total);
                }
            }
        }
        return rows;
    }

    public Table Summarize(IReadOnlyList<ApproximationRow> rows)
    {
        var table = new Table().Title("Normalised Hamming distance between MrDAM's and DrDAM's binarised fixed points (near queries)");
        var features = rows.Select(r => r.Features!.Value).Distinct().Order().ToList();
        table.AddColumn("D").AddColumn("β");
        foreach (var y in features)
            table.AddColumn(new TableColumn($"Y={y}").RightAligned());
        foreach (var series in rows.GroupBy(r => (r.Dimension, r.Beta)))
            table.AddRow([$"{series.Key.Dimension}", StudyFormat.Number(series.Key.Beta),
                .. features.Select(y => StudyFormat.Number(series.FirstOrDefault(r => r.Features == y)?.Hamming))]);
        return table;
    }

    public IReadOnlyList<string> Plot(IReadOnlyList<ApproximationRow> rows, string folder)
    {
        var panels = new List<LinePlot>();
        foreach (var dimension in rows.GroupBy(r => r.Dimension!.Value))
        {
            var plot = new LinePlot($"retrieval, D={dimension.Key}", "log₂ Y", "Hamming(MrDAM, DrDAM)");
            foreach (var series in dimension.GroupBy(r => r.Beta!.Value))
            {
                var points = series.OrderBy(r => r.Features).ToList();
                plot.Add($"β={series.Key}", points.Select(r => StudyFormat.Log2(r.Features)).ToList(), points.Select(r => r.Hamming!.Value).ToList());
            }
            panels.Add(plot);
        }
        var path = Path.Combine(folder, "retrieval-hamming.png");
        PlotPanels.Save(path, panels);
        return [path];
    }
}
