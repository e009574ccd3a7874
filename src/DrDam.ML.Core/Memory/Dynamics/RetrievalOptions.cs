namespace DrDam.ML.Memory.Dynamics;

/// <summary>Settings of the descent x ← x − η·∇E(x) (docs/MATH.md §2), validated on construction.</summary>
public sealed record RetrievalOptions
{
    private readonly double stepSize = 0.1;
    private readonly int maxSteps = 300;
    private readonly double tolerance = 1e-6;

    /// <summary>η, the step size (&gt; 0). Default 0.1 (the paper's image setting).</summary>
    public double StepSize { get => stepSize; init => stepSize = Guard.Positive(value, nameof(StepSize)); }

    /// <summary>L, the most steps per query (&gt;= 1). Default 300.</summary>
    public int MaxSteps { get => maxSteps; init => maxSteps = Guard.Positive(value, nameof(MaxSteps)); }

    /// <summary>ε: a query stops once |E(x⁽ᵗ⁾) − E(x⁽ᵗ⁻¹⁾)| &lt; ε (&gt;= 0; 0 runs every step). Default 1e-6.</summary>
    public double Tolerance { get => tolerance; init => tolerance = Guard.NonNegative(value, nameof(Tolerance)); }

    /// <summary>Whether to keep every query's energy after every step. Default false.</summary>
    public bool RecordEnergyTrace { get; init; }
}
