using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Energies;

/// <summary>
/// An energy of the memory representation, evaluated per query from the dot products d_μ = ⟨x, ξ^μ⟩
/// (one row of XΞᵀ). Every energy's gradient has the form a·x − Σ_μ w_μ ξ^μ (CosineDot then
/// projects it), so a batched step is two matrix products around <see cref="Weigh"/>.
/// </summary>
public abstract class MemoryMatrixEnergy
{
    /// <summary>Creates the energy at inverse temperature <paramref name="beta"/>.</summary>
    protected MemoryMatrixEnergy(double beta) => Beta = Guard.Positive(beta, nameof(beta));

    /// <summary>β, the inverse temperature.</summary>
    public double Beta { get; }

    /// <summary>Which energy this is.</summary>
    public abstract EnergyKind Kind { get; }

    /// <summary>
    /// Turns one query's dot products into memory weights w (in place over <paramref name="dots"/>),
    /// and returns the energy E(x) and the coefficient a of x in the gradient.
    /// </summary>
    /// <param name="dots">⟨x, ξ^μ⟩ for every memory μ; overwritten with the weights w_μ.</param>
    /// <param name="patternSquaredNorms">‖ξ^μ‖² for every memory.</param>
    /// <param name="squaredNorm">‖x‖².</param>
    public abstract (double Energy, float SelfCoefficient) Weigh(Span<float> dots, ReadOnlySpan<float> patternSquaredNorms, float squaredNorm);

    /// <summary>Writes ∇E(x) = a·x − m from m = Σ w_μ ξ^μ (overridden where the state is normalised).</summary>
    public virtual void Gradient(ReadOnlySpan<float> state, float squaredNorm, float selfCoefficient, ReadOnlySpan<float> weightedPatterns, Span<float> gradient)
    {
        TensorPrimitives.Multiply(state, selfCoefficient, gradient);
        TensorPrimitives.Subtract(gradient, weightedPatterns, gradient);
    }

    /// <summary>Turns dot products into ‖x−ξ‖² = ‖x‖² − 2⟨x,ξ⟩ + ‖ξ‖² in place, clipped at 0 against rounding.</summary>
    protected static void SquaredDistancesInPlace(Span<float> dots, ReadOnlySpan<float> patternSquaredNorms, float squaredNorm)
    {
        TensorPrimitives.Multiply(dots, -2f, dots);
        TensorPrimitives.Add(dots, patternSquaredNorms, dots);
        TensorPrimitives.Add(dots, squaredNorm, dots);
        TensorPrimitives.Max(dots, 0f, dots);
    }

    /// <summary>
    /// How far below the largest logit a softmax's logits are floored: a weight is at least e⁻⁶⁰ ≈ 9·10⁻²⁷ of the
    /// largest. A float32 sum cannot tell that from less (its resolution is 6·10⁻⁸), but no weight falls in float32's
    /// subnormal range (below 1.2·10⁻³⁸, reached 87 below the largest), even divided by a sum over 10⁶ memories.
    /// Subnormal operands take microcode assists on Intel cores: on a Xeon (family 6 model 207) a product with a third of
    /// A's entries subnormal ran 15× slower.
    /// </summary>
    public const float LogitFloor = -60f;

    /// <summary>Softmax of <paramref name="logits"/> in place (floored at <see cref="LogitFloor"/> below the largest); returns log Σ exp(logits), computed stably.</summary>
    protected static double SoftmaxInPlace(Span<float> logits)
    {
        var max = TensorPrimitives.Max<float>(logits);
        TensorPrimitives.Subtract(logits, max, logits);
        TensorPrimitives.Max(logits, LogitFloor, logits);
        TensorPrimitives.Exp(logits, logits);
        var sum = (double)TensorPrimitives.Sum<float>(logits);
        TensorPrimitives.Multiply(logits, (float)(1 / sum), logits);
        return max + Math.Log(sum);
    }

    /// <summary>The energy object for a kind.</summary>
    public static MemoryMatrixEnergy Create(EnergyKind kind, double beta, double epsilon = EpanechnikovEnergy.DefaultEpsilon) => kind switch
    {
        EnergyKind.L2 => new L2Energy(beta),
        EnergyKind.Dot => new DotEnergy(beta),
        EnergyKind.CosineDot => new CosineDotEnergy(beta),
        EnergyKind.Epanechnikov => new EpanechnikovEnergy(beta, epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind must be one of {string.Join(", ", Enum.GetNames<EnergyKind>())}."),
    };
}
