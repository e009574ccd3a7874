using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Approximation;

/// <summary>
/// The measurement Fig. 3 and Fig. 6 share: at one β, MrDAM against DrDAM for every basis and Y, at
/// every set of queries, each error averaged over draws of Ω (seeds seed, seed + 1, …).
/// </summary>
internal static class ErrorSweep
{
    /// <summary>One row per (basis, Y, query kind); <paramref name="pointDone"/> is called after each (basis, Y).</summary>
    public static List<ApproximationRow> Measure(float[] stored, int dimension, double beta, IReadOnlyList<FeatureBasisKind> bases, IReadOnlyList<int> featureCounts,
        int draws, int seed, ProjectionStorage omega, IReadOnlyList<(string Kind, float[] States)> queries, Action? pointDone)
    {
        var exact = StudyMemories.Exact(stored, dimension, beta);
        var states = queries.Select(q => q.States).ToArray();
        var rows = new List<ApproximationRow>();
        foreach (var basis in bases)
            foreach (var y in featureCounts)
            {
                var errors = ApproximationError.Average(exact, draw => StudyMemories.Distributed(stored, dimension, beta, basis, y, seed + draw, omega), draws, states);
                for (var q = 0; q < queries.Count; q++)
                {
                    rows.Add(new ApproximationRow
                    {
                        Basis = StudyFormat.Name(basis), Beta = beta, Dimension = dimension, Stored = stored.Length / dimension, Features = y,
                        Query = queries[q].Kind, EnergyError = errors[q].Energy, GradientError = errors[q].Gradient,
                    });
                }
                pointDone?.Invoke();
            }
        return rows;
    }
}
