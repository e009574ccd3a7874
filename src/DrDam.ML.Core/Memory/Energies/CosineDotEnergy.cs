using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Energies;

/// <summary>
/// E(x) = −(1/β)·log Σ_μ exp(β⟨ξ^μ, g(x)⟩), g(x) = x/‖x‖; ∇E = −(I − g gᵀ)·m/‖x‖ with m = Σ p_μ ξ^μ.
/// At x = 0 the direction is undefined: the energy is −(1/β)·log K and the gradient is zero.
/// </summary>
public sealed class CosineDotEnergy(double beta) : MemoryMatrixEnergy(beta)
{
    /// <inheritdoc/>
    public override EnergyKind Kind => EnergyKind.CosineDot;

    /// <inheritdoc/>
    public override (double Energy, float SelfCoefficient) Weigh(Span<float> dots, ReadOnlySpan<float> patternSquaredNorms, float squaredNorm)
    {
        var inverseNorm = squaredNorm > 0 ? 1 / MathF.Sqrt(squaredNorm) : 0f;
        TensorPrimitives.Multiply(dots, (float)Beta * inverseNorm, dots);
        return (-SoftmaxInPlace(dots) / Beta, 0f);
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<float> state, float squaredNorm, float selfCoefficient, ReadOnlySpan<float> weightedPatterns, Span<float> gradient)
    {
        if (!(squaredNorm > 0))
        {
            gradient.Clear();
            return;
        }
        // −(m − x⟨x,m⟩/‖x‖²)/‖x‖
        var norm = MathF.Sqrt(squaredNorm);
        var along = TensorPrimitives.Dot(state, weightedPatterns) / squaredNorm;
        TensorPrimitives.Multiply(state, along, gradient);
        TensorPrimitives.Subtract(gradient, weightedPatterns, gradient);
        TensorPrimitives.Multiply(gradient, 1 / norm, gradient);
    }
}
