using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Memory;

/// <summary>Hyper-parameters of a <see cref="MemoryMatrix"/> (MrDAM), validated on construction.</summary>
public sealed record MemoryMatrixOptions : AssociativeMemoryOptions
{
    private readonly EnergyKind energy = EnergyKind.L2;
    private readonly double epsilon = EpanechnikovEnergy.DefaultEpsilon;

    /// <summary>The energy. Default <see cref="EnergyKind.L2"/>.</summary>
    public EnergyKind Energy { get => energy; init => energy = Guard.Defined(value, nameof(Energy)); }

    /// <summary>ε inside the logarithm of the Epanechnikov energy (&gt; 0). Default 1e-5.</summary>
    public double Epsilon { get => epsilon; init => epsilon = Guard.Positive(value, nameof(Epsilon)); }
}
