namespace DrDam.ML.Memory.Features;

/// <summary>
/// The constants of a feature map φ for a given Y (<see cref="FeatureBasis.Constants"/>): with the
/// projections they define φ completely, so a backend can evaluate φ without the managed code.
/// </summary>
/// <param name="Scale">φ's scale: 1/√Y, or √(2/Y) for Cos.</param>
/// <param name="LogShift">−½ln Y (−½ln 2Y for PositiveExpExp), folded into the positive bases' exponent.</param>
/// <param name="SelfPerInner">c/⟨φ,T⟩, the coefficient of z in J_φᵀT per unit inner product: −2 for the positive bases, else 0.</param>
public readonly record struct BasisConstants(float Scale, float LogShift, float SelfPerInner);
