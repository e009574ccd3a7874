using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Compute;

/// <summary>
/// Exact merge of an MrDAM step computed over shards of the patterns. For the log-sum-exp energies a shard's
/// energy E_i = −(1/β)·log Σ_{μ∈i} exp(ℓ_μ) (+ the shared ½‖x‖² of Dot) carries its log-sum-exp, and its gradient
/// is x minus its softmax-weighted mean, so with w_i = softmax_i(−β·E_i):
/// E = −(1/β)·log Σ_i exp(−β·E_i) and ∇E = Σ_i w_i·∇E_i — the same numbers as one memory holding every pattern,
/// up to float rounding. (Epanechnikov's ε inside the logarithm does not split over shards.)
/// </summary>
public static class ShardMerge
{
    /// <summary>Whether an energy's steps merge exactly over shards.</summary>
    public static bool Supports(EnergyKind kind) => kind is EnergyKind.L2 or EnergyKind.Dot or EnergyKind.CosineDot;

    /// <summary>Merges the shards' energies and gradients of <paramref name="rows"/> states into one step.</summary>
    /// <param name="beta">β of every shard.</param>
    /// <param name="shards">Each shard's energies (rows) and gradients (rows×D), for the same states.</param>
    /// <param name="rows">The states evaluated.</param>
    /// <param name="dimension">D.</param>
    /// <param name="energies">The merged energies.</param>
    /// <param name="gradients">The merged gradients.</param>
    public static void Merge(double beta, IReadOnlyList<(double[] Energies, float[] Gradients)> shards, int rows, int dimension,
        Span<double> energies, Span<float> gradients)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
            throw new ArgumentException("At least one shard is needed.", nameof(shards));
        var weights = new double[shards.Count];
        var sum = new double[dimension];
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var i = 0; i < shards.Count; i++)
            {
                weights[i] = -beta * shards[i].Energies[r];
                max = Math.Max(max, weights[i]);
            }
            double total = 0;
            for (var i = 0; i < shards.Count; i++)
                total += weights[i] = Math.Exp(weights[i] - max);
            energies[r] = -(max + Math.Log(total)) / beta;
            Array.Clear(sum);
            for (var i = 0; i < shards.Count; i++)
            {
                var w = weights[i] / total;
                var g = shards[i].Gradients.AsSpan(r * dimension, dimension);
                for (var j = 0; j < dimension; j++)
                    sum[j] += w * g[j];
            }
            for (var j = 0; j < dimension; j++)
                gradients[r * dimension + j] = (float)sum[j];
        }
    }
}
