using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Features;

/// <summary>φ(z) = (1/√Y)·[cos s, sin s]; u = (1/√Y)·(−sin s ⊙ T^cos + cos s ⊙ T^sin), c = 0.</summary>
public sealed class SinCosBasis : FeatureBasis
{
    internal static readonly SinCosBasis Instance = new();

    private SinCosBasis() { }

    /// <inheritdoc/>
    public override FeatureBasisKind Kind => FeatureBasisKind.SinCos;

    /// <inheritdoc/>
    public override int Parts => 2;

    /// <inheritdoc/>
    public override BasisConstants Constants(int featureCount) => new(1f / MathF.Sqrt(featureCount), -0.5f * MathF.Log(featureCount), 0f);

    /// <inheritdoc/>
    public override void Map(ReadOnlySpan<float> projections, float squaredNorm, int featureCount, Span<float> first, Span<float> second)
    {
        var scale = Constants(featureCount).Scale;
        // Sin and Cos separately: both are vectorised, TensorPrimitives.SinCos is not (4× slower).
        TensorPrimitives.Cos(projections, first);
        TensorPrimitives.Sin(projections, second);
        TensorPrimitives.Multiply(first, scale, first);
        TensorPrimitives.Multiply(second, scale, second);
    }

    /// <inheritdoc/>
    protected internal override void Derivatives(ReadOnlySpan<float> projections, float squaredNorm, int featureCount,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond, Span<float> first, Span<float> second, Span<float> u)
    {
        Map(projections, squaredNorm, featureCount, first, second);
        // φ is already scaled by 1/√Y: u = cos·T^sin − sin·T^cos.
        TensorPrimitives.Multiply(second, memoryFirst, u);
        TensorPrimitives.Negate<float>(u, u);
        TensorPrimitives.MultiplyAdd(first, memorySecond, u, u);
    }

    /// <inheritdoc/>
    protected internal override (double Inner, double SelfCoefficient) Inner(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<float> u,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond)
        => ((double)TensorPrimitives.Dot(first, memoryFirst) + TensorPrimitives.Dot(second, memorySecond), 0);
}
