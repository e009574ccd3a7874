using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Features;

/// <summary>φ(z) = (1/√Y)·exp(s − ‖z‖²); ∂φ_α/∂z = φ_α·(ω_α − 2z), so u = φ ⊙ T and c = −2⟨φ,T⟩.</summary>
public sealed class PositiveExpBasis : FeatureBasis
{
    internal static readonly PositiveExpBasis Instance = new();

    private PositiveExpBasis() { }

    /// <inheritdoc/>
    public override FeatureBasisKind Kind => FeatureBasisKind.PositiveExp;

    /// <inheritdoc/>
    public override int Parts => 1;

    /// <inheritdoc/>
    public override BasisConstants Constants(int featureCount) => new(1f / MathF.Sqrt(featureCount), -0.5f * MathF.Log(featureCount), -2f);

    /// <inheritdoc/>
    public override void Map(ReadOnlySpan<float> projections, float squaredNorm, int featureCount, Span<float> first, Span<float> second)
    {
        // exp(s − ‖z‖² − ½ ln Y) folds the 1/√Y scale into the exponent (no overflow before scaling).
        TensorPrimitives.Add(projections, -squaredNorm + Constants(featureCount).LogShift, first);
        TensorPrimitives.Exp(first, first);
    }

    /// <inheritdoc/>
    protected internal override void Derivatives(ReadOnlySpan<float> projections, float squaredNorm, int featureCount,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond, Span<float> first, Span<float> second, Span<float> u)
    {
        Map(projections, squaredNorm, featureCount, first, second);
        TensorPrimitives.Multiply(first, memoryFirst, u);
    }

    /// <inheritdoc/>
    protected internal override (double Inner, double SelfCoefficient) Inner(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<float> u,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond)
    {
        var inner = (double)TensorPrimitives.Sum<float>(u);
        return (inner, -2 * inner);
    }
}
