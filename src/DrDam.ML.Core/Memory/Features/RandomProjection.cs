using System.Buffers;
using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// Ω: the Y×D matrix of random directions ω_α ~ N(0, I_D) drawn from one seed τ, plus the phases
/// b_α ~ U(0, 2π). Any block of rows can be regenerated on its own, identically (docs/MATH.md §3,
/// Algorithm 1). With <see cref="Orthogonal"/> the rows are made exactly orthogonal in groups of D
/// and rescaled to chi-distributed norms (orthogonal random features): the kernel estimate stays
/// unbiased with lower variance, but regenerating a block costs O(D²) per row instead of O(D).
/// </summary>
public sealed class RandomProjection
{
    /// <summary>Creates the projection for <paramref name="dimension"/> inputs and <paramref name="featureCount"/> rows.</summary>
    public RandomProjection(int dimension, int featureCount, ulong seed, bool orthogonal)
    {
        Dimension = Guard.Positive(dimension, nameof(dimension));
        FeatureCount = Guard.Positive(featureCount, nameof(featureCount));
        Seed = seed;
        Orthogonal = orthogonal;
    }

    /// <summary>D, the length of each row.</summary>
    public int Dimension { get; }

    /// <summary>Y, the number of rows.</summary>
    public int FeatureCount { get; }

    /// <summary>τ, the seed every row is derived from.</summary>
    public ulong Seed { get; }

    /// <summary>Whether rows are orthogonal within groups of D.</summary>
    public bool Orthogonal { get; }

    /// <summary>Writes rows [<paramref name="start"/>, start + count) row-major into <paramref name="destination"/> (count×D).</summary>
    public void FillRows(int start, int count, Span<float> destination)
    {
        CheckRange(start, count);
        Guard.Length(destination.Length, (long)count * Dimension, nameof(destination), "count×Dimension");
        if (!Orthogonal)
        {
            for (var i = 0; i < count; i++)
                GaussianRows.Fill(Seed, RandomStream.Projection, start + i, destination.Slice(i * Dimension, Dimension));
            return;
        }
        var row = start;
        while (row < start + count)
        {
            var groupStart = row / Dimension * Dimension;
            var end = Math.Min(start + count, groupStart + Dimension);
            FillOrthogonal(groupStart, row, end, destination.Slice((row - start) * Dimension, (end - row) * Dimension));
            row = end;
        }
    }

    /// <summary>Writes the phases b_α ∈ (0, 2π] of rows [start, start + count).</summary>
    public void FillOffsets(int start, int count, Span<float> destination)
    {
        CheckRange(start, count);
        Guard.Length(destination.Length, count, nameof(destination), "count");
        for (var i = 0; i < count; i++)
            destination[i] = 2f * MathF.PI * GaussianRows.Uniform(Seed, RandomStream.Offset, start + i);
    }

    // Modified Gram–Schmidt (in double) over the group's rows from its first up to end − 1; rows
    // before `from` are needed only to orthogonalise against.
    private void FillOrthogonal(int groupStart, int from, int end, Span<float> destination)
    {
        var d = Dimension;
        var n = end - groupStart;
        var q = ArrayPool<double>.Shared.Rent(n * d);
        var gaussian = ArrayPool<float>.Shared.Rent(d);
        try
        {
            var g = gaussian.AsSpan(0, d);
            for (var i = 0; i < n; i++)
            {
                var qi = q.AsSpan(i * d, d);
                GaussianRows.Fill(Seed, RandomStream.Projection, groupStart + i, g);
                for (var c = 0; c < d; c++)
                    qi[c] = g[c];
                for (var j = 0; j < i; j++)
                {
                    ReadOnlySpan<double> qj = q.AsSpan(j * d, d);
                    TensorPrimitives.MultiplyAdd(qj, -TensorPrimitives.Dot(qi, qj), qi, qi);
                }
                TensorPrimitives.Divide(qi, TensorPrimitives.Norm<double>(qi), qi);
                if (groupStart + i < from)
                    continue;
                GaussianRows.Fill(Seed, RandomStream.OrthogonalNorm, groupStart + i, g);
                var chi = (double)TensorPrimitives.Norm<float>(g);
                var target = destination.Slice((groupStart + i - from) * d, d);
                for (var c = 0; c < d; c++)
                    target[c] = (float)(qi[c] * chi);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(q);
            ArrayPool<float>.Shared.Return(gaussian);
        }
    }

    private void CheckRange(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > FeatureCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows [{start}, {start + count}) must lie in [0, FeatureCount = {FeatureCount}).");
    }
}
