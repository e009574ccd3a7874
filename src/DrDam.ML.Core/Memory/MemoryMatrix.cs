using System.Numerics.Tensors;
using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Memory;

/// <summary>
/// MrDAM: the K×D matrix Ξ of stored patterns with an exact energy (docs/MATH.md §1). Memory O(KD),
/// one descent step O(KD) per query. Thread safety: adding and removing are serialised by a lock, so several
/// threads may add patterns at once (rows land in the order the lock admitted them). Reading patterns, or
/// retrieving, while another thread mutates the memory is not supported: an evaluator created before a change
/// refuses to run after it (<see cref="IAssociativeMemory.Version"/>).
/// </summary>
public sealed class MemoryMatrix : IAssociativeMemory
{
    private float[] patterns;
    private float[] squaredNorms;
    private int count;
    private readonly Lock sync = new();

    /// <summary>Creates an empty memory for <paramref name="dimension"/>-dimensional patterns.</summary>
    public MemoryMatrix(int dimension, MemoryMatrixOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Dimension = Guard.Positive(dimension, nameof(dimension));
        Options = options;
        Energy = MemoryMatrixEnergy.Create(options.Energy, options.Beta, options.Epsilon);
        patterns = [];
        squaredNorms = [];
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public long Count => count;

    /// <inheritdoc/>
    public double Beta => Options.Beta;

    /// <inheritdoc/>
    public long Version { get; private set; }

    /// <summary>The hyper-parameters.</summary>
    public MemoryMatrixOptions Options { get; }

    /// <summary>The energy the memory descends.</summary>
    public MemoryMatrixEnergy Energy { get; }

    /// <summary>Ξ, row-major K×D.</summary>
    public ReadOnlySpan<float> Patterns => patterns.AsSpan(0, count * Dimension);

    /// <summary>‖ξ^μ‖² for every stored pattern.</summary>
    public ReadOnlySpan<float> SquaredNorms => squaredNorms.AsSpan(0, count);

    /// <summary>Pattern μ.</summary>
    public ReadOnlySpan<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            return patterns.AsSpan(index * Dimension, Dimension);
        }
    }

    /// <summary>An independent copy (same options, same patterns).</summary>
    public MemoryMatrix Clone()
    {
        var copy = new MemoryMatrix(Dimension, Options);
        copy.AddRange(Patterns, count);
        return copy;
    }

    /// <summary>
    /// The memory that dominates the energy at <paramref name="state"/>: the index μ of the largest
    /// weight w_μ (the softmax probability p_μ for L2, Dot and CosineDot; the normalised kernel for
    /// Epanechnikov) and that weight.
    /// </summary>
    /// <param name="state">A state of length D.</param>
    /// <param name="scratch">K floats of working space.</param>
    public (int Index, float Weight) Dominant(ReadOnlySpan<float> state, Span<float> scratch)
    {
        Guard.Length(state.Length, Dimension, nameof(state), "Dimension");
        if (count == 0)
            throw new InvalidOperationException("The memory holds no patterns.");
        var weights = scratch[..count];
        for (var mu = 0; mu < count; mu++)
            weights[mu] = TensorPrimitives.Dot(state, this[mu]);
        var squaredNorm = TensorPrimitives.Dot(state, state);
        Energy.Weigh(weights, SquaredNorms, squaredNorm);
        if (Energy.Kind == EnergyKind.Epanechnikov)
        {
            // Its weights are 1/(ε+S) inside the support: rank by the kernel itself.
            for (var mu = 0; mu < count; mu++)
            {
                var d2 = squaredNorm - 2 * TensorPrimitives.Dot(state, this[mu]) + SquaredNorms[mu];
                weights[mu] = weights[mu] > 0 ? Math.Max(0, 1 - (float)(Beta / 2) * d2) * weights[mu] : 0;
            }
        }
        var index = TensorPrimitives.IndexOfMax<float>(weights);
        return (index, weights[index]);
    }

    /// <summary>Stores one pattern.</summary>
    public void Add(ReadOnlySpan<float> pattern) => AddRange(pattern, 1);

    /// <summary>Stores <paramref name="rows"/> patterns given row-major.</summary>
    public void AddRange(ReadOnlySpan<float> rowMajorPatterns, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Guard.Length(rowMajorPatterns.Length, (long)rows * Dimension, "patterns", $"rows×Dimension ({rows}×{Dimension})");
        Guard.Finite(rowMajorPatterns, Dimension, "patterns");
        lock (sync)
        {
            EnsureCapacity((long)count + rows);
            rowMajorPatterns.CopyTo(patterns.AsSpan(count * Dimension));
            for (var i = 0; i < rows; i++)
                squaredNorms[count + i] = TensorPrimitives.Dot(rowMajorPatterns.Slice(i * Dimension, Dimension), rowMajorPatterns.Slice(i * Dimension, Dimension));
            count += rows;
            Version++;
        }
    }

    /// <summary>Removes pattern μ; later patterns move up one index.</summary>
    public void RemoveAt(int index)
    {
        lock (sync)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            patterns.AsSpan((index + 1) * Dimension, (count - index - 1) * Dimension).CopyTo(patterns.AsSpan(index * Dimension));
            squaredNorms.AsSpan(index + 1, count - index - 1).CopyTo(squaredNorms.AsSpan(index));
            count--;
            Version++;
        }
    }

    // Grows geometrically, but never past what one array holds; a size that cannot fit is refused before allocating.
    private void EnsureCapacity(long rows)
    {
        if (rows <= squaredNorms.Length)
            return;
        MemoryLimits.Values(rows * Dimension, sizeof(float), $"K×D = {rows}×{Dimension} patterns", nameof(rows));
        var capacity = Math.Min(Math.Max(rows, Math.Max(4, 2L * squaredNorms.Length)), MemoryLimits.MaxValues / Dimension);
        Array.Resize(ref patterns, (int)(capacity * Dimension));
        Array.Resize(ref squaredNorms, (int)capacity);
    }
}
