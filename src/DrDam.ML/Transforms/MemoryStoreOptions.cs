using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Transforms;

/// <summary>
/// Settings of <c>mlContext.Transforms.AssociativeMemory.Store</c>: which memory to build and how the fitted
/// store retrieves by default. Values are validated when the estimator is created.
/// </summary>
public sealed record MemoryStoreOptions
{
    /// <summary>MrDAM (<see cref="MemoryRepresentation.Matrix"/>, default) or DrDAM (<see cref="MemoryRepresentation.Distributed"/>).</summary>
    public MemoryRepresentation Representation { get; init; } = MemoryRepresentation.Matrix;

    /// <summary>β, the inverse temperature (&gt; 0). Default 30.</summary>
    public double Beta { get; init; } = 30;

    /// <summary>The energy of a <see cref="MemoryRepresentation.Matrix"/> store; DrDAM approximates <see cref="EnergyKind.L2"/> only. Default L2.</summary>
    public EnergyKind Energy { get; init; } = EnergyKind.L2;

    /// <summary>Y, DrDAM's random projections (&gt; 0). Default 20000.</summary>
    public int FeatureCount { get; init; } = 20_000;

    /// <summary>DrDAM's feature basis. Default SinCos.</summary>
    public FeatureBasisKind Basis { get; init; } = FeatureBasisKind.SinCos;

    /// <summary>τ, DrDAM's seed; stores merge only when seeds agree. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>DrDAM orthogonal random features. Default false.</summary>
    public bool Orthogonal { get; init; }

    /// <summary>DrDAM's Ω: cached (fast, 4·Y·D bytes) or regenerated on demand (O(block·D) memory). Default cached.</summary>
    public ProjectionStorage ProjectionStorage { get; init; } = ProjectionStorage.Cached;

    /// <summary>Rows of Ω per block. Default 1024.</summary>
    public int ProjectionBlockSize { get; init; } = 1024;

    /// <summary>DrDAM's eq.-32 form (stores R, O(YD) parameters). Default false.</summary>
    public bool LinearAttention { get; init; }

    /// <summary>Optional column whose value is kept with each MrDAM pattern and reported for the dominant memory.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>Output column of the fitted store; default "&lt;column&gt;Retrieved".</summary>
    public string? OutputColumnName { get; init; }

    /// <summary>Default descent settings of the fitted store (changeable later without refitting).</summary>
    public RetrievalOptions Retrieval { get; init; } = new();

    /// <summary>Rows retrieved together (&gt; 0): the batch of the matrix–matrix steps. Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Throws if any setting is invalid, naming it.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Retrieval, nameof(Retrieval));
        if (!Enum.IsDefined(Representation))
            throw new ArgumentOutOfRangeException(nameof(Representation), Representation, $"Representation must be Matrix or Distributed (got {Representation}).");
        if (BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be > 0 (got {BatchSize}).");
        if (Representation == MemoryRepresentation.Distributed)
        {
            if (Energy != EnergyKind.L2)
                throw new ArgumentException($"Energy must be L2 for a Distributed store (random features approximate the RBF kernel); got {Energy}.", nameof(Energy));
            if (LabelColumnName is not null)
                throw new ArgumentException("LabelColumnName needs Representation = Matrix: a Distributed store does not keep its patterns.", nameof(LabelColumnName));
            _ = ToDistributedOptions();
        }
        else
        {
            _ = ToMatrixOptions();
        }
    }

    internal MemoryMatrixOptions ToMatrixOptions() => new() { Beta = Beta, Energy = Energy };

    internal DistributedMemoryOptions ToDistributedOptions() => new()
    {
        Beta = Beta, FeatureCount = FeatureCount, Basis = Basis, Seed = Seed, Orthogonal = Orthogonal,
        ProjectionStorage = ProjectionStorage, ProjectionBlockSize = ProjectionBlockSize, LinearAttention = LinearAttention,
    };

    internal IAssociativeMemory CreateMemory(int dimension) => Representation == MemoryRepresentation.Matrix
        ? new MemoryMatrix(dimension, ToMatrixOptions())
        : new DistributedMemory(dimension, ToDistributedOptions());
}
