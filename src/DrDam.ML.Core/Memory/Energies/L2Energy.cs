using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Energies;

/// <summary>E(x) = −(1/β)·log Σ_μ exp(−β/2·‖x−ξ^μ‖²); ∇E = x − Σ p_μ ξ^μ, p = softmax(−β/2·‖x−ξ‖²).</summary>
public sealed class L2Energy(double beta) : MemoryMatrixEnergy(beta)
{
    /// <inheritdoc/>
    public override EnergyKind Kind => EnergyKind.L2;

    /// <inheritdoc/>
    public override (double Energy, float SelfCoefficient) Weigh(Span<float> dots, ReadOnlySpan<float> patternSquaredNorms, float squaredNorm)
    {
        SquaredDistancesInPlace(dots, patternSquaredNorms, squaredNorm);
        TensorPrimitives.Multiply(dots, (float)(-Beta / 2), dots);
        return (-SoftmaxInPlace(dots) / Beta, 1f);
    }
}
