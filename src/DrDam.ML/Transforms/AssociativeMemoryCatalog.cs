using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms;

/// <summary>
/// The associative-memory stages of a <see cref="TransformsCatalog"/>: <c>mlContext.Transforms.AssociativeMemory</c>.
/// </summary>
public sealed class AssociativeMemoryCatalog
{
    internal AssociativeMemoryCatalog(TransformsCatalog transforms) => Transforms = transforms;

    /// <summary>The catalog this one hangs off.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>
    /// An estimator that stores the rows of <paramref name="columnName"/> (a known-size float vector) in a
    /// memory; the fitted store retrieves from that column (denoising) into "&lt;column&gt;Retrieved" by default.
    /// </summary>
    public AssociativeMemoryEstimator Store(string columnName, MemoryStoreOptions? options = null)
        => new(columnName, options ?? new MemoryStoreOptions());

    /// <summary>
    /// A retrieval transformer over a fitted store: <paramref name="queryColumn"/> descends the store's
    /// energy with the coordinates marked in <paramref name="maskColumn"/> clamped (none: denoising).
    /// No refit: the memory is shared.
    /// </summary>
    public AssociativeMemoryTransformer Retrieve(AssociativeMemoryTransformer store, string queryColumn, string? maskColumn = null,
        string? outputColumn = null, RetrievalOptions? options = null, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.WithRetrieval(queryColumn, maskColumn, outputColumn, options, batchSize);
    }

    /// <summary>The store fitted at the end of a pipeline (e.g. <c>pipeline.Fit(data)</c>), retrieving as <see cref="Retrieve(AssociativeMemoryTransformer, string, string?, string?, RetrievalOptions?, int?)"/>.</summary>
    public AssociativeMemoryTransformer Retrieve(TransformerChain<AssociativeMemoryTransformer> model, string queryColumn, string? maskColumn = null,
        string? outputColumn = null, RetrievalOptions? options = null, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Retrieve(model.LastTransformer, queryColumn, maskColumn, outputColumn, options, batchSize);
    }

    /// <summary>Hides part of <paramref name="inputColumn"/>, writing the occluded vector and its visibility mask (true = visible).</summary>
    public IEstimator<OcclusionTransformer> Occlude(string inputColumn, string outputColumn, string maskColumn, OcclusionOptions? options = null)
    {
        var transformer = new OcclusionTransformer(inputColumn, outputColumn, maskColumn, options ?? new OcclusionOptions());
        return new StatelessEstimator<OcclusionTransformer>(transformer, transformer.GetOutputSchema);
    }

    /// <summary>Adds seeded noise to <paramref name="inputColumn"/>, writing <paramref name="outputColumn"/>.</summary>
    public IEstimator<NoiseTransformer> AddNoise(string inputColumn, string outputColumn, NoiseOptions? options = null)
    {
        var transformer = new NoiseTransformer(inputColumn, outputColumn, options ?? new NoiseOptions());
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
