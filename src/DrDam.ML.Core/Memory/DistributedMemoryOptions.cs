using DrDam.ML.Memory.Features;

namespace DrDam.ML.Memory;

/// <summary>Hyper-parameters of a <see cref="DistributedMemory"/> (DrDAM), validated on construction.</summary>
public sealed record DistributedMemoryOptions : AssociativeMemoryOptions
{
    /// <summary>The default ε of the log clip, as in the reference code.</summary>
    public const double DefaultLogClip = 1e-5;

    private readonly int featureCount = 20_000;
    private readonly FeatureBasisKind basis = FeatureBasisKind.SinCos;
    private readonly ProjectionStorage projectionStorage = ProjectionStorage.Cached;
    private readonly int projectionBlockSize = 1024;
    private readonly double logClip = DefaultLogClip;

    /// <summary>Y, the number of random projections (&gt; 0); φ has Y or 2Y entries. Default 20000.</summary>
    public int FeatureCount { get => featureCount; init => featureCount = Guard.Positive(value, nameof(FeatureCount)); }

    /// <summary>The feature map φ. Default <see cref="FeatureBasisKind.SinCos"/>.</summary>
    public FeatureBasisKind Basis { get => basis; init => basis = Guard.Defined(value, nameof(Basis)); }

    /// <summary>τ, the seed of Ω (and of the phases). Memories merge only when seeds agree. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Orthogonal random features: Ω's rows orthogonal in groups of D. Default false.</summary>
    public bool Orthogonal { get; init; }

    /// <summary>Whether Ω is cached or regenerated (see <see cref="Features.ProjectionStorage"/> for the costs). Default cached.</summary>
    public ProjectionStorage ProjectionStorage { get => projectionStorage; init => projectionStorage = Guard.Defined(value, nameof(ProjectionStorage)); }

    /// <summary>Rows of Ω per block (&gt; 0): the unit of regeneration and of parallel work. Default 1024.</summary>
    public int ProjectionBlockSize { get => projectionBlockSize; init => projectionBlockSize = Guard.Positive(value, nameof(ProjectionBlockSize)); }

    /// <summary>ε of the clip max(ε, ⟨φ, T⟩) before the logarithm (&gt; 0). Default 1e-5.</summary>
    public double LogClip { get => logClip; init => logClip = Guard.Positive(value, nameof(LogClip)); }

    /// <summary>
    /// The paper's eq. 32 ("T + R", linear attention): also store R = Σ φ(√βξ)·ξᵀ and descend
    /// ∇Ê = x − φᵀR/⟨φ,T⟩. R holds FeatureLength×D floats: O(YD) parameters, not compressive. Default false.
    /// </summary>
    public bool LinearAttention { get; init; }
}
