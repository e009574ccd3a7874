namespace DrDam.ML.Memory.Features;

/// <summary>The random feature maps φ of docs/MATH.md §3; each approximates the RBF kernel exp(−‖a−b‖²/2).</summary>
public enum FeatureBasisKind
{
    /// <summary>(1/√Y)·[cos⟨ω,z⟩, sin⟨ω,z⟩]: 2Y features; the paper's best, most of all at high β.</summary>
    SinCos = 0,
    /// <summary>√(2/Y)·cos(⟨ω,z⟩ + b): Y features.</summary>
    Cos = 1,
    /// <summary>(1/√Y)·exp(⟨ω,z⟩ − ‖z‖²): Y positive features.</summary>
    PositiveExp = 2,
    /// <summary>(1/√(2Y))·[exp(⟨ω,z⟩ − ‖z‖²), exp(−⟨ω,z⟩ − ‖z‖²)]: 2Y symmetric positive features.</summary>
    PositiveExpExp = 3,
}
