using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;

namespace DrDam.ML.Transforms;

/// <summary>
/// The associative-memory stages of a <see cref="TransformsCatalog"/>: <c>mlContext.Transforms.AssociativeMemory</c>.
/// As in ML.NET, every method takes the output column first and the input column after it.
/// </summary>
public sealed class AssociativeMemoryCatalog
{
    internal AssociativeMemoryCatalog(TransformsCatalog transforms) => Transforms = transforms;

    /// <summary>The catalog this one hangs off.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>
    /// Stores the rows of <paramref name="inputColumnName"/> (a known-size float vector; default: <paramref name="outputColumnName"/>)
    /// in a memory. The fitted store retrieves from that column (denoising) into <paramref name="outputColumnName"/>.
    /// </summary>
    public AssociativeMemoryEstimator Store(string outputColumnName, string? inputColumnName = null, MemoryStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        var input = inputColumnName ?? outputColumnName;
        return new(new RetrievalColumns(input, null, outputColumnName), input, options ?? new MemoryStoreOptions());
    }

    /// <summary>
    /// Stores the rows of <paramref name="inputColumnName"/>, and retrieves from another column, <paramref name="queryColumnName"/>,
    /// with the coordinates marked in <paramref name="maskColumnName"/> clamped: fit on clean rows, restore occluded ones, in one estimator.
    /// </summary>
    public AssociativeMemoryEstimator Store(string outputColumnName, string inputColumnName, string queryColumnName, string? maskColumnName, MemoryStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(queryColumnName);
        return new(new RetrievalColumns(queryColumnName, maskColumnName, outputColumnName), inputColumnName, options ?? new MemoryStoreOptions());
    }

    /// <summary>
    /// Retrieval from an already fitted <paramref name="store"/>, as an estimator that chains with <c>Append</c>:
    /// <paramref name="inputColumnName"/> descends the store's energy with the coordinates marked in
    /// <paramref name="maskColumnName"/> clamped (none: denoising). No refit: the memory is shared, and saved once.
    /// </summary>
    public IEstimator<AssociativeMemoryTransformer> Retrieve(string outputColumnName, string inputColumnName, AssociativeMemoryTransformer store,
        string? maskColumnName = null, RetrievalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var transformer = store.WithRetrieval(outputColumnName, inputColumnName, maskColumnName, options);
        return new StatelessEstimator<AssociativeMemoryTransformer>(transformer, transformer.GetOutputShape);
    }

    /// <summary>
    /// Hides part of <paramref name="inputColumnName"/> (default: <paramref name="outputColumnName"/>), writing the occluded
    /// vector to <paramref name="outputColumnName"/> and its visibility mask (true = visible) to <paramref name="maskColumnName"/>.
    /// </summary>
    public IEstimator<OcclusionTransformer> Occlude(string outputColumnName, string maskColumnName, string? inputColumnName = null, OcclusionOptions? options = null)
    {
        var transformer = new OcclusionTransformer(inputColumnName ?? outputColumnName, outputColumnName, maskColumnName, options ?? new OcclusionOptions());
        return new StatelessEstimator<OcclusionTransformer>(transformer, transformer.GetOutputSchema);
    }

    /// <summary>Adds seeded noise to <paramref name="inputColumnName"/> (default: <paramref name="outputColumnName"/>), writing <paramref name="outputColumnName"/>.</summary>
    public IEstimator<NoiseTransformer> AddNoise(string outputColumnName, string? inputColumnName = null, NoiseOptions? options = null)
    {
        var transformer = new NoiseTransformer(inputColumnName ?? outputColumnName, outputColumnName, options ?? new NoiseOptions());
        return new StatelessEstimator<NoiseTransformer>(transformer, transformer.GetOutputSchema);
    }
}

/// <summary>Adds <c>AssociativeMemory</c> to ML.NET's transforms catalog.</summary>
public static class AssociativeMemoryCatalogExtensions
{
    extension(TransformsCatalog catalog)
    {
        /// <summary>The associative-memory stages: Store, Retrieve, Occlude, AddNoise.</summary>
        public AssociativeMemoryCatalog AssociativeMemory => new(catalog ?? throw new ArgumentNullException(nameof(catalog)));
    }
}
