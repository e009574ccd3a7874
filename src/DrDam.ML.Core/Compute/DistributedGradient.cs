using System.Numerics.Tensors;

namespace DrDam.ML.Compute;

/// <summary>
/// The last step of a DrDAM evaluation, shared by the backends that finish on the host: from
/// ⟨φ,T⟩ = <c>inner</c> and the accumulated G (UΩ, or φᵀR with eq. 32), Ê = −log max(ε, h)/β and
/// ∇Ê = −(G + c·z)/(√β·h), which is 0 where the clip is active (−log ε has no slope), or x − G/h with R.
/// </summary>
internal static class DistributedGradient
{
    /// <summary>Writes ∇Ê of one state into <paramref name="gradient"/> and returns Ê.</summary>
    public static double Write(ReadOnlySpan<float> state, ReadOnlySpan<float> z, ReadOnlySpan<float> accumulated, double inner, double selfCoefficient,
        double logClip, double beta, float projectionScale, bool linearAttention, Span<float> gradient)
    {
        var h = Math.Max(logClip, inner);
        if (linearAttention)
            TensorPrimitives.MultiplyAdd(accumulated, (float)(-1 / h), state, gradient);
        else if (inner <= logClip)
            gradient.Clear();
        else
        {
            TensorPrimitives.MultiplyAdd(z, (float)selfCoefficient, accumulated, gradient);
            TensorPrimitives.Multiply(gradient, (float)(-1 / (projectionScale * h)), gradient);
        }
        return -Math.Log(h) / beta;
    }
}
