using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Energies;

/// <summary>E(x) = −(1/β)·log Σ_μ exp(β⟨ξ^μ,x⟩) + ½‖x‖²; ∇E = x − Σ p_μ ξ^μ, p = softmax(β⟨ξ,x⟩).</summary>
public sealed class DotEnergy(double beta) : MemoryMatrixEnergy(beta)
{
    /// <inheritdoc/>
    public override EnergyKind Kind => EnergyKind.Dot;

    /// <inheritdoc/>
    public override (double Energy, float SelfCoefficient) Weigh(Span<float> dots, ReadOnlySpan<float> patternSquaredNorms, float squaredNorm)
    {
        TensorPrimitives.Multiply(dots, (float)Beta, dots);
        return (-SoftmaxInPlace(dots) / Beta + 0.5 * squaredNorm, 1f);
    }
}
