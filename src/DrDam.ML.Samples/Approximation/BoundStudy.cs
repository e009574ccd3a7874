using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Rendering;
using Spectre.Console;

namespace DrDam.ML.Samples.Approximation;

/// <summary>
/// Theorem 2 (docs/MATH.md §4) next to what happens: MrDAM and DrDAM (SinCos) run the same L steps of
/// size η from the same near queries, and the distance ‖x⁽ᴸ⁾ − x̂⁽ᴸ⁾‖ of every query is compared with
/// the bound evaluated at that query's initial energy, over (K, β, Y). Two step sizes: the theorem's
/// η = C₂/(L·B), where it takes its closed form, and a fixed practical η.
/// </summary>
/// <remarks>
/// Constants: C₂ = ½. C₁ (kernel error ≤ C₁·√(D/Y)) is measured for each memory as the largest
/// |⟨φ(√βa), φ(√βb)⟩ − exp(−β/2·‖a − b‖²)|·√(Y/D) over all stored × query pairs: an estimate from the
/// pairs the dynamics starts from, not the supremum over [0, 1/√D]^D that the theorem assumes.
/// </remarks>
internal sealed class BoundStudy : IApproximationStudy
{
    /// <summary>C₂ of the closed form, in (0, 1).</summary>
    public const double C2 = 0.5;

    /// <summary>The points measured and the descent compared.</summary>
    public sealed record Grid(int[] StoredCounts, double[] Betas, int[] FeatureCounts, int Dimension, int Queries, int Steps, double FixedStepSize);

    public string Name => "bound";

    /// <summary>Full: K ∈ {10, 50, 200}, β ∈ {1, 4, 10}, Y = 2¹⁰…2¹⁵, D = 16, 50 near queries, L = 10, fixed η = 0.1. Quick: K ∈ {10, 100}, β ∈ {1, 10}, Y ≤ 2¹³.</summary>
    public static Grid For(StudySettings settings) => settings.Quick
        ? new([10, 100], [1, 10], StudyMemories.PowersOfTwo(10, 13), 16, 50, 10, 0.1)
        : new([10, 50, 200], [1, 4, 10], StudyMemories.PowersOfTwo(10, 15), 16, 50, 10, 0.1);

    public IReadOnlyList<ApproximationRow> Run(StudySettings settings, IProgress<double>? progress) => Run(For(settings), settings.Seed, progress, settings.Omega);

    public static IReadOnlyList<ApproximationRow> Run(Grid grid, int seed, IProgress<double>? progress = null, ProjectionStorage omega = ProjectionStorage.Cached)
    {
        var (d, l) = (grid.Dimension, grid.Steps);
        var rows = new List<ApproximationRow>();
        var (done, total) = (0, grid.StoredCounts.Length * grid.Betas.Length * grid.FeatureCounts.Length);
        foreach (var k in grid.StoredCounts)
        {
            var random = BinaryPatterns.Generator(seed, k);
            var stored = BinaryPatterns.Random(k, d, random);
            var queries = BinaryPatterns.Flip(stored, Math.Min(grid.Queries, k), d, EnergyGradientStudy.NearFlipFraction, random);
            var count = queries.Length / d;
            foreach (var beta in grid.Betas)
            {
                var exact = StudyMemories.Exact(stored, d, beta);
                var initialEnergies = exact.EnergyAndGradient(queries, count).Energies;
                var stepSizes = new[] { ("critical", DriftBound.CriticalStepSize(C2, l, k, beta)), ("fixed", grid.FixedStepSize) };
                var exactStates = stepSizes.Select(rule => exact.Retrieve(queries, count, Descent(rule.Item2, l)).States).ToArray();
                foreach (var y in grid.FeatureCounts)
                {
                    var approximate = StudyMemories.Distributed(stored, d, beta, FeatureBasisKind.SinCos, y, seed, omega);
                    var c1 = KernelErrorConstant(approximate, stored, queries);
                    for (var s = 0; s < stepSizes.Length; s++)
                    {
                        var (rule, eta) = stepSizes[s];
                        var approximateStates = approximate.Retrieve(queries, count, Descent(eta, l)).States;
                        var (bound, observed, violations) = (0.0, 0.0, 0);
                        for (var q = 0; q < count; q++)
                        {
                            var b = DriftBound.Evaluate(beta, k, d, y, eta, l, initialEnergies[q], c1);
                            var o = ApproximationError.Distance(exactStates[s].AsSpan(q * d, d), approximateStates.AsSpan(q * d, d));
                            (bound, observed, violations) = (bound + b / count, observed + o / count, violations + (o > b ? 1 : 0));
                        }
                        rows.Add(new ApproximationRow
                        {
                            Basis = StudyFormat.Name(FeatureBasisKind.SinCos), Beta = beta, Dimension = d, Stored = k, Features = y, Query = "near",
                            StepRule = rule, StepSize = eta, Steps = l, Bound = bound, Observed = observed, Violations = violations, KernelErrorConstant = c1,
                        });
                    }
                    progress?.Report((double)++done / total);
                }
            }
        }
        return rows;
    }

    /// <summary>max |⟨φ(√βa), φ(√βb)⟩ − exp(−β/2·‖a−b‖²)|·√(Y/D) over a ∈ stored, b ∈ queries.</summary>
    public static double KernelErrorConstant(DistributedMemory memory, float[] stored, float[] queries)
    {
        var (d, length, beta) = (memory.Dimension, memory.Features.FeatureLength, memory.Beta);
        var storedFeatures = Map(memory.Features, stored);
        var queryFeatures = Map(memory.Features, queries);
        var worst = 0.0;
        for (var a = 0; a < stored.Length / d; a++)
            for (var b = 0; b < queries.Length / d; b++)
            {
                var estimate = System.Numerics.Tensors.TensorPrimitives.Dot(storedFeatures.AsSpan(a * length, length), queryFeatures.AsSpan(b * length, length));
                var kernel = Math.Exp(-beta / 2 * ApproximationError.SquaredDistance(stored.AsSpan(a * d, d), queries.AsSpan(b * d, d)));
                worst = Math.Max(worst, Math.Abs(estimate - kernel));
            }
        return worst * Math.Sqrt((double)memory.Features.FeatureCount / d);
    }

    private static float[] Map(FeatureSpace space, float[] states)
    {
        var features = new float[states.Length / space.Dimension * space.FeatureLength];
        for (var r = 0; r < states.Length / space.Dimension; r++)
            space.Map(states.AsSpan(r * space.Dimension, space.Dimension), features.AsSpan(r * space.FeatureLength, space.FeatureLength));
        return features;
    }

    private static RetrievalOptions Descent(double stepSize, int steps) => new() { StepSize = stepSize, MaxSteps = steps, Tolerance = 0 };

    public Table Summarize(IReadOnlyList<ApproximationRow> rows)
    {
        var table = new Table().Title("Theorem 2: mean bound vs mean observed ‖x⁽ᴸ⁾ − x̂⁽ᴸ⁾‖ (violations: queries whose distance exceeds their bound)");
        foreach (var column in new[] { "K", "β", "Y", "η", "C₁", "bound", "observed", "violations" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in rows)
            table.AddRow($"{r.Stored}", StudyFormat.Number(r.Beta), $"{r.Features}", StudyFormat.Number(r.StepSize), StudyFormat.Number(r.KernelErrorConstant),
                StudyFormat.Number(r.Bound), StudyFormat.Number(r.Observed), $"{r.Violations}");
        return table;
    }

    public IReadOnlyList<string> Plot(IReadOnlyList<ApproximationRow> rows, string folder)
    {
        var files = new List<string>();
        foreach (var regime in new[] { "critical", "fixed" })
        {
            var panels = new List<LinePlot>();
            foreach (var beta in rows.GroupBy(r => r.Beta!.Value))
            {
                var selected = beta.Where(r => r.StepRule == regime).ToList();
                var plot = new LinePlot($"β={beta.Key}, η={(regime == "critical" ? "C₂/(L·B)" : StudyFormat.Number(selected[0].StepSize))}", "log₂ Y", "distance of x(L) and x̂(L)") { LogY = true };
                var counts = selected.Select(r => r.Stored!.Value).Distinct().Order().ToList();
                foreach (var series in selected.GroupBy(r => r.Stored!.Value))
                {
                    var points = series.OrderBy(r => r.Features).ToList();
                    var x = points.Select(r => StudyFormat.Log2(r.Features)).ToList();
                    plot.Add($"K={series.Key} bound", x, points.Select(r => r.Bound!.Value).ToList(), counts.IndexOf(series.Key));
                    plot.Add($"K={series.Key} observed", x, points.Select(r => r.Observed!.Value).ToList(), counts.IndexOf(series.Key), 1);
                }
                panels.Add(plot);
            }
            var path = Path.Combine(folder, $"bound-{regime}.png");
            PlotPanels.Save(path, panels);
            files.Add(path);
        }
        return files;
    }
}
