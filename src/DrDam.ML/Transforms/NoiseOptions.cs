using DrDam.ML.Memory;

namespace DrDam.ML.Transforms;

/// <summary>The corruption a noise transform applies to each coordinate.</summary>
public enum NoiseKind
{
    /// <summary>x + σ·N(0, 1), σ = <see cref="NoiseOptions.Amount"/>, clipped to [Low, High] when <see cref="NoiseOptions.Clip"/>.</summary>
    Gaussian = 0,
    /// <summary>With probability <see cref="NoiseOptions.Amount"/>, the coordinate becomes Low or High (even odds).</summary>
    SaltAndPepper = 1,
    /// <summary>With probability <see cref="NoiseOptions.Amount"/>, a binary coordinate flips between Low and High.</summary>
    BitFlip = 2,
}

/// <summary>
/// Settings of <c>mlContext.Transforms.AssociativeMemory.AddNoise</c>. Each setting is validated when set; the
/// amount against the kind, and Low against High, when the estimator is created.
/// </summary>
public sealed record NoiseOptions
{
    private readonly NoiseKind kind = NoiseKind.Gaussian;
    private readonly double amount = 0.1;
    private readonly float low, high = 1;

    /// <summary>The corruption. Default Gaussian.</summary>
    public NoiseKind Kind { get => kind; init => kind = Guard.Defined(value, nameof(Kind)); }

    /// <summary>σ for Gaussian noise (&gt;= 0), or the probability per coordinate (in [0, 1]). Default 0.1.</summary>
    public double Amount { get => amount; init => amount = Guard.NonNegative(value, nameof(Amount)); }

    /// <summary>The low value (pepper, binary 0); finite, below <see cref="High"/>. Default 0.</summary>
    public float Low { get => low; init => low = Guard.Finite(value, nameof(Low)); }

    /// <summary>The high value (salt, binary 1; e.g. 1/√D for patterns scaled as in the paper); finite. Default 1.</summary>
    public float High { get => high; init => high = Guard.Finite(value, nameof(High)); }

    /// <summary>Clip Gaussian results into [Low, High]. Default true.</summary>
    public bool Clip { get; init; } = true;

    /// <summary>Seed; row r always gets the same noise. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks the settings that depend on each other, naming the one at fault.</summary>
    internal void ValidateCombination()
    {
        if (Kind != NoiseKind.Gaussian && Amount > 1)
            throw new ArgumentOutOfRangeException(nameof(Amount), Amount, $"Amount (a probability) must lie in [0, 1] (got {Amount}).");
        if (!(Low < High))
            throw new ArgumentOutOfRangeException(nameof(Low), $"Low must be below High (got {Low} and {High}).");
    }
}
