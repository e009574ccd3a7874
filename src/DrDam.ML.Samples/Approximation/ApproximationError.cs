using DrDam.ML.Compute;
using DrDam.ML.Memory;

namespace DrDam.ML.Samples.Approximation;

/// <summary>How far DrDAM's energy and gradient are from MrDAM's over a set of queries (the paper's Fig. 3 measures).</summary>
/// <param name="Energy">Mean |E(x) − Ê(x)|.</param>
/// <param name="Gradient">Mean ‖∇E(x) − ∇Ê(x)‖₂.</param>
internal readonly record struct ApproximationError(double Energy, double Gradient)
{
    /// <summary>
    /// The errors at each query set, averaged over <paramref name="draws"/> approximations built by
    /// <paramref name="approximation"/> (one per draw index: a different seed of Ω).
    /// </summary>
    public static ApproximationError[] Average(IAssociativeMemory exact, Func<int, IAssociativeMemory> approximation, int draws, IReadOnlyList<float[]> querySets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        var sums = new ApproximationError[querySets.Count];
        for (var draw = 0; draw < draws; draw++)
        {
            var approximate = approximation(draw);
            for (var q = 0; q < querySets.Count; q++)
            {
                var error = Measure(exact, approximate, querySets[q]);
                sums[q] = new ApproximationError(sums[q].Energy + error.Energy / draws, sums[q].Gradient + error.Gradient / draws);
            }
        }
        return sums;
    }

    /// <summary>The errors of one approximation at one set of queries (row-major count×D).</summary>
    public static ApproximationError Measure(IAssociativeMemory exact, IAssociativeMemory approximate, float[] queries)
    {
        var d = exact.Dimension;
        var count = queries.Length / d;
        var (energies, gradients) = exact.EnergyAndGradient(queries, count);
        var (estimates, estimatedGradients) = approximate.EnergyAndGradient(queries, count);
        double energy = 0, gradient = 0;
        for (var q = 0; q < count; q++)
        {
            energy += Math.Abs(energies[q] - estimates[q]);
            gradient += Distance(gradients.AsSpan(q * d, d), estimatedGradients.AsSpan(q * d, d));
        }
        return new ApproximationError(energy / count, gradient / count);
    }

    /// <summary>‖a − b‖², summed in double.</summary>
    public static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += (a[i] - b[i]) * (double)(a[i] - b[i]);
        return sum;
    }

    /// <summary>‖a − b‖₂, summed in double.</summary>
    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Math.Sqrt(SquaredDistance(a, b));
}
