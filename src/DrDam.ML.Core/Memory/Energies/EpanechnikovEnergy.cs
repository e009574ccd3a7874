using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Energies;

/// <summary>
/// E(x) = −(1/β)·log(ε + S), S = Σ_μ max(0, 1 − β/2·‖x−ξ^μ‖²) (log-sum-ReLU, MrDAM only).
/// ∇E = Σ_{μ inside} (x − ξ^μ)/(ε + S): memories inside the support pull with equal weight; a state
/// outside every support has zero gradient and energy −(1/β)·log ε.
/// </summary>
public sealed class EpanechnikovEnergy : MemoryMatrixEnergy
{
    /// <summary>The default ε inside the logarithm.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>Creates the energy with inverse temperature β and floor ε.</summary>
    public EpanechnikovEnergy(double beta, double epsilon = DefaultEpsilon) : base(beta)
        => Epsilon = Guard.Positive(epsilon, nameof(epsilon));

    /// <summary>ε, the floor inside the logarithm.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override EnergyKind Kind => EnergyKind.Epanechnikov;

    /// <inheritdoc/>
    public override (double Energy, float SelfCoefficient) Weigh(Span<float> dots, ReadOnlySpan<float> patternSquaredNorms, float squaredNorm)
    {
        SquaredDistancesInPlace(dots, patternSquaredNorms, squaredNorm);
        // w_μ = max(0, 1 − β/2·‖x−ξ‖²)
        TensorPrimitives.Multiply(dots, (float)(-Beta / 2), dots);
        TensorPrimitives.Add(dots, 1f, dots);
        TensorPrimitives.Max(dots, 0f, dots);
        var total = Epsilon + TensorPrimitives.Sum<float>(dots);
        var inside = 0;
        var weight = (float)(1 / total);
        for (var i = 0; i < dots.Length; i++)
        {
            if (dots[i] > 0)
            {
                dots[i] = weight;
                inside++;
            }
        }
        return (-Math.Log(total) / Beta, inside * weight);
    }
}
