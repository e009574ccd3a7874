namespace DrDam.ML.Memory.Features;

/// <summary>
/// A random feature map φ, evaluated on a block of projections s_α = ⟨ω_α, z⟩ (+ b_α where the basis
/// uses phases). Features are stored in <see cref="Parts"/> contiguous parts of Y entries each
/// (e.g. all cosines, then all sines), so that a block of α's maps to one slice per part.
/// The gradient is expressed through the projections: J_φ(z)ᵀT = Ωᵀu + c·z.
/// </summary>
public abstract class FeatureBasis
{
    /// <summary>Which basis this is.</summary>
    public abstract FeatureBasisKind Kind { get; }

    /// <summary>Feature entries per projection: 1 or 2.</summary>
    public abstract int Parts { get; }

    /// <summary>Whether projections include the random phases b_α.</summary>
    public virtual bool UsesOffsets => false;

    /// <summary>Length of φ for Y projections.</summary>
    public int FeatureLength(int featureCount) => Parts * featureCount;

    /// <summary>Writes φ for one block: <paramref name="first"/> (and <paramref name="second"/> when Parts = 2).</summary>
    /// <param name="projections">s_α for the block (phases already added).</param>
    /// <param name="squaredNorm">‖z‖².</param>
    /// <param name="featureCount">Y, the total number of projections (sets the scale).</param>
    /// <param name="first">First part of φ for the block.</param>
    /// <param name="second">Second part of φ for the block (empty when Parts = 1).</param>
    public abstract void Map(ReadOnlySpan<float> projections, float squaredNorm, int featureCount, Span<float> first, Span<float> second);

    /// <summary>
    /// For one block: writes φ into <paramref name="first"/>/<paramref name="second"/> and u into
    /// <paramref name="u"/>, and returns the block's share of ⟨φ, T⟩ and of the coefficient c
    /// (<see cref="Derivatives"/>, then <see cref="Inner"/>).
    /// </summary>
    public (double Inner, double SelfCoefficient) Backward(
        ReadOnlySpan<float> projections, float squaredNorm, int featureCount,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond,
        Span<float> first, Span<float> second, Span<float> u)
    {
        Derivatives(projections, squaredNorm, featureCount, memoryFirst, memorySecond, first, second, u);
        return Inner(first, second, u, memoryFirst, memorySecond);
    }

    /// <summary>
    /// The elementwise half of <see cref="Backward"/>: φ and u for each projection of the span, each from its own
    /// projection and entries of T alone (so a span may be cut into pieces of whole vectors without changing a bit).
    /// </summary>
    protected internal abstract void Derivatives(ReadOnlySpan<float> projections, float squaredNorm, int featureCount,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond, Span<float> first, Span<float> second, Span<float> u);

    /// <summary>The reducing half of <see cref="Backward"/>: the span's share of ⟨φ, T⟩ and of c, from what <see cref="Derivatives"/> wrote.</summary>
    protected internal abstract (double Inner, double SelfCoefficient) Inner(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<float> u,
        ReadOnlySpan<float> memoryFirst, ReadOnlySpan<float> memorySecond);

    /// <summary>φ's closed-form constants for Y = <paramref name="featureCount"/>: its scale, the exponent shift of the positive bases and the self coefficient of the gradient. <see cref="Map"/> uses them, and so does any backend that evaluates φ on a device.</summary>
    public abstract BasisConstants Constants(int featureCount);

    /// <summary>The basis object for a kind.</summary>
    public static FeatureBasis Create(FeatureBasisKind kind) => kind switch
    {
        FeatureBasisKind.SinCos => SinCosBasis.Instance,
        FeatureBasisKind.Cos => CosBasis.Instance,
        FeatureBasisKind.PositiveExp => PositiveExpBasis.Instance,
        FeatureBasisKind.PositiveExpExp => PositiveExpExpBasis.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind must be one of {string.Join(", ", Enum.GetNames<FeatureBasisKind>())}."),
    };
}
