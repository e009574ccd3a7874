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

/// <summary>Settings of <c>mlContext.Transforms.AssociativeMemory.AddNoise</c>, validated when the estimator is created.</summary>
public sealed record NoiseOptions
{
    /// <summary>The corruption. Default Gaussian.</summary>
    public NoiseKind Kind { get; init; } = NoiseKind.Gaussian;

    /// <summary>σ for Gaussian noise (&gt;= 0), or the probability per coordinate (in [0, 1]). Default 0.1.</summary>
    public double Amount { get; init; } = 0.1;

    /// <summary>The low value (pepper, binary 0). Default 0.</summary>
    public float Low { get; init; }

    /// <summary>The high value (salt, binary 1; e.g. 1/√D for patterns scaled as in the paper). Default 1.</summary>
    public float High { get; init; } = 1;

    /// <summary>Clip Gaussian results into [Low, High]. Default true.</summary>
    public bool Clip { get; init; } = true;

    /// <summary>Seed; row r always gets the same noise. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws if a setting is invalid, naming it.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"Kind must be Gaussian, SaltAndPepper or BitFlip (got {Kind}).");
        if (!(Amount >= 0) || !double.IsFinite(Amount) || (Kind != NoiseKind.Gaussian && Amount > 1))
            throw new ArgumentOutOfRangeException(nameof(Amount), Amount,
                Kind == NoiseKind.Gaussian ? $"Amount (σ) must be a finite number >= 0 (got {Amount})." : $"Amount (a probability) must lie in [0, 1] (got {Amount}).");
        if (!(Low < High) || !float.IsFinite(Low) || !float.IsFinite(High))
            throw new ArgumentOutOfRangeException(nameof(Low), $"Low must be finite and below High (got {Low} and {High}).");
    }
}
