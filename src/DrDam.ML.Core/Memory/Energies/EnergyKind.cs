namespace DrDam.ML.Memory.Energies;

/// <summary>The energies of the memory representation (docs/MATH.md §1).</summary>
public enum EnergyKind
{
    /// <summary>−(1/β)·log Σ exp(−β/2·‖x−ξ‖²): log-sum-exp of the RBF kernel (the paper's main energy; DrDAM approximates it).</summary>
    L2 = 0,
    /// <summary>−(1/β)·log Σ exp(β⟨ξ,x⟩) + ½‖x‖².</summary>
    Dot = 1,
    /// <summary>−(1/β)·log Σ exp(β⟨ξ,x/‖x‖⟩).</summary>
    CosineDot = 2,
    /// <summary>−(1/β)·log(ε + Σ max(0, 1 − β/2·‖x−ξ‖²)): log-sum-ReLU with compact support.</summary>
    Epanechnikov = 3,
}
