using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// φ(z) = (1/√(2Y))·[exp(s − ‖z‖²), exp(−s − ‖z‖²)];
/// u = φ⁺ ⊙ T⁺ − φ⁻ ⊙ T⁻ and c = −2⟨φ,T⟩.
/// </summary>
public sealed class PositiveExpExpBasis : FeatureBasis
{
    internal static readonly PositiveExpExpBasis Instance = new();

    private PositiveExpExpBasis() { }

    /// <inheritdoc/>
    public override FeatureBasisKind Kind => FeatureBasisKind.PositiveExpExp;

    /// <inheritdoc/>
    public override int Parts => 2;

    /// <inheritdoc/>
    public override BasisConstants Constants(int featureCount) => new(1f / MathF.Sqrt(featureCount), -0.5f * MathF.Log(2f * featureCount), -2f);

    /// <inheritdoc/>
    public override void Map(ReadOnlySpan<float> projections, float squaredNorm, int featureCount, Span<float> first, Span<float> second)
    {
        var shift = -squaredNorm + Constants(featureCount).LogShift;
        TensorPrimitives.Add(projections, shift, first);
        TensorPrimitives.Exp(first, first);
        TensorPrimitives.Negate(projections, second);
        TensorPrimitives.Add(second, shift, second);
        TensorPrimitives.Exp(second, second);
    }

    /// <inheritdoc/>
    protected internal override void Derivatives(ReadOnlySpan<float> projections, float squaredNorm, int featureCount,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond, Span<float> first, Span<float> second, Span<float> u)
    {
        Map(projections, squaredNorm, featureCount, first, second);
        TensorPrimitives.Multiply(second, memorySecond, u);
        TensorPrimitives.Negate<float>(u, u);
        TensorPrimitives.MultiplyAdd(first, memoryFirst, u, u);
    }

    /// <inheritdoc/>
    protected internal override (double Inner, double SelfCoefficient) Inner(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<float> u,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond)
    {
        var inner = (double)TensorPrimitives.Dot(first, memoryFirst) + TensorPrimitives.Dot(second, memorySecond);
        return (inner, -2 * inner);
    }
}
