using DrDam.ML.Memory.Features;

namespace DrDam.ML.Memory;

/// <summary>
/// DrDAM: every stored pattern is mapped by φ(√β·ξ) and summed into one vector T whose length
/// (Y or 2Y) does not depend on K (docs/MATH.md §3). Patterns are not kept; adding or removing one costs
/// O(DY); memories built with the same seed, β, basis and dimension merge by addition.
/// Thread safety: adding, removing, merging and restoring are serialised by a lock, so several threads may
/// add patterns at once (T is then their sum in the order the lock admitted them). Reading T, or retrieving,
/// while another thread mutates the memory is not supported: an evaluator created before a change refuses to
/// run after it (<see cref="IAssociativeMemory.Version"/>).
/// </summary>
public sealed class DistributedMemory : IAssociativeMemory
{
    private readonly double[] memory;
    private readonly float[]? linearAttention;
    private readonly Lock sync = new();

    /// <summary>Creates an empty memory for <paramref name="dimension"/>-dimensional patterns.</summary>
    public DistributedMemory(int dimension, DistributedMemoryOptions options)
        : this(new FeatureSpace(Guard.Positive(dimension, nameof(dimension)), options ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    /// <summary>Creates an empty memory over an existing feature map (sharing its Ω and phases).</summary>
    public DistributedMemory(FeatureSpace features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var options = features.Options;
        var dimension = features.Dimension;
        Features = features;
        memory = new double[Features.FeatureLength];
        if (options.LinearAttention)
            linearAttention = new float[MemoryLimits.Values((long)Features.FeatureLength * dimension, sizeof(float), "LinearAttention's R (FeatureLength×Dimension)", nameof(options))];
    }

    /// <summary>The feature map φ(√β·x), with Ω.</summary>
    public FeatureSpace Features { get; }

    /// <summary>The hyper-parameters.</summary>
    public DistributedMemoryOptions Options => Features.Options;

    /// <inheritdoc/>
    public int Dimension => Features.Dimension;

    /// <inheritdoc/>
    public double Beta => Options.Beta;

    /// <inheritdoc/>
    public long Count { get; private set; }

    /// <inheritdoc/>
    public long Version { get; private set; }

    /// <summary>T = Σ_μ φ(√β·ξ^μ), accumulated in double precision.</summary>
    public ReadOnlySpan<double> Memory => memory;

    /// <summary>R = Σ_μ φ(√β·ξ^μ)·ξ^μᵀ, FeatureLength×D row-major; empty unless <see cref="DistributedMemoryOptions.LinearAttention"/>.</summary>
    public ReadOnlySpan<float> LinearAttentionMemory => linearAttention;

    /// <summary>An independent copy of T (and R) sharing this memory's feature map, so a cached Ω is not regenerated.</summary>
    public DistributedMemory Clone()
    {
        var copy = new DistributedMemory(Features);
        copy.Restore(memory, linearAttention, Count);
        return copy;
    }

    /// <summary>Stores one pattern: T += φ(√β·ξ).</summary>
    public void Add(ReadOnlySpan<float> pattern) => AddRange(pattern.ToArray(), 1);

    /// <summary>Stores <paramref name="rows"/> patterns given row-major.</summary>
    public void AddRange(ReadOnlyMemory<float> patterns, int rows) => Accumulate(patterns, rows, +1);

    /// <summary>Forgets one pattern stored earlier: T −= φ(√β·ξ).</summary>
    public void Remove(ReadOnlySpan<float> pattern) => RemoveRange(pattern.ToArray(), 1);

    /// <summary>Forgets <paramref name="rows"/> patterns stored earlier, given row-major.</summary>
    public void RemoveRange(ReadOnlyMemory<float> patterns, int rows)
    {
        if (rows > Count)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows must be at most Count = {Count}: the memory cannot forget more patterns than it holds.");
        Accumulate(patterns, rows, -1);
    }

    /// <summary>Adds another memory's T (and R) into this one: the same as having stored its patterns here.</summary>
    /// <exception cref="ArgumentException">The memories differ in dimension, β, Y, basis, seed, orthogonality or the linear-attention option.</exception>
    public void Merge(DistributedMemory other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSame(nameof(Dimension), Dimension, other.Dimension);
        RequireSame(nameof(Beta), Beta, other.Beta);
        RequireSame(nameof(Options.FeatureCount), Options.FeatureCount, other.Options.FeatureCount);
        RequireSame(nameof(Options.Basis), Options.Basis, other.Options.Basis);
        RequireSame(nameof(Options.Seed), Options.Seed, other.Options.Seed);
        RequireSame(nameof(Options.Orthogonal), Options.Orthogonal, other.Options.Orthogonal);
        RequireSame(nameof(Options.LinearAttention), Options.LinearAttention, other.Options.LinearAttention);
        lock (sync)
        {
            for (var i = 0; i < memory.Length; i++)
                memory[i] += other.memory[i];
            if (linearAttention is not null)
                System.Numerics.Tensors.TensorPrimitives.Add(linearAttention, other.linearAttention!, linearAttention);
            Count += other.Count;
            Version++;
        }
    }

    /// <summary>Restores a memory's state (persistence).</summary>
    internal void Restore(ReadOnlySpan<double> storedMemory, ReadOnlySpan<float> storedLinearAttention, long count)
    {
        lock (sync)
        {
            storedMemory.CopyTo(memory);
            storedLinearAttention.CopyTo(linearAttention);
            Count = count;
            Version++;
        }
    }

    private void Accumulate(ReadOnlyMemory<float> patterns, int rows, double sign)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Guard.Length(patterns.Length, (long)rows * Dimension, "patterns", $"rows×Dimension ({rows}×{Dimension})");
        Guard.Finite(patterns.Span, Dimension, "patterns");
        lock (sync)
        {
            Features.Accumulate(patterns, rows, sign, memory, linearAttention);
            Count += (long)sign * rows;
            Version++;
        }
    }

    private static void RequireSame<T>(string name, T mine, T theirs)
    {
        if (!EqualityComparer<T>.Default.Equals(mine, theirs))
            throw new ArgumentException($"Cannot merge memories with different {name}: this one has {mine}, the other {theirs}.", "other");
    }
}
