using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Features;

/// <summary>φ(z) = √(2/Y)·cos(s), s = ⟨ω,z⟩ + b; u = −√(2/Y)·sin(s) ⊙ T, c = 0.</summary>
public sealed class CosBasis : FeatureBasis
{
    internal static readonly CosBasis Instance = new();

    private CosBasis() { }

    /// <inheritdoc/>
    public override FeatureBasisKind Kind => FeatureBasisKind.Cos;

    /// <inheritdoc/>
    public override int Parts => 1;

    /// <inheritdoc/>
    public override bool UsesOffsets => true;

    /// <inheritdoc/>
    public override BasisConstants Constants(int featureCount) => new(MathF.Sqrt(2f / featureCount), -0.5f * MathF.Log(featureCount), 0f);

    /// <inheritdoc/>
    public override void Map(ReadOnlySpan<float> projections, float squaredNorm, int featureCount, Span<float> first, Span<float> second)
    {
        TensorPrimitives.Cos(projections, first);
        TensorPrimitives.Multiply(first, Constants(featureCount).Scale, first);
    }

    /// <inheritdoc/>
    protected internal override void Derivatives(ReadOnlySpan<float> projections, float squaredNorm, int featureCount,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond, Span<float> first, Span<float> second, Span<float> u)
    {
        var scale = Constants(featureCount).Scale;
        TensorPrimitives.Cos(projections, first); // (TensorPrimitives.SinCos is not vectorised)
        TensorPrimitives.Sin(projections, u);
        TensorPrimitives.Multiply(first, scale, first);
        TensorPrimitives.Multiply(u, memoryFirst, u);
        TensorPrimitives.Multiply(u, -scale, u);
    }

    /// <inheritdoc/>
    protected internal override (double Inner, double SelfCoefficient) Inner(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<float> u,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond)
        => (TensorPrimitives.Dot(first, memoryFirst), 0);
}
