using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(AssociativeMemoryTransformer), null, typeof(SignatureLoadModel),
    "DrDam associative memory", AssociativeMemoryTransformer.LoaderSignature)]

namespace DrDam.ML.Transforms;

/// <summary>
/// A fitted memory store that retrieves: for each row, the query column descends the memory's energy
/// (clamping the coordinates the mask marks as known) and the retrieved vector, its energy, steps,
/// convergence and, for Matrix stores, the dominant memory are added as columns (see
/// <see cref="RetrievalColumns"/>). Rows are processed lazily in batches of <see cref="BatchSize"/>.
/// Immutable: <see cref="WithRetrieval"/>, <see cref="AddRows"/> and <see cref="Merge"/> return new
/// transformers. Saved by <c>mlContext.Model.Save</c> with the memory itself (for DrDAM: T, the
/// hyper-parameters and the seed; never Ω nor the patterns).
/// </summary>
public sealed class AssociativeMemoryTransformer : RowBatchTransformer
{
    internal const string LoaderSignature = "DrDamMemoryTransformer";
    private const string ModelSignature = "DRDAMMEM";

    internal AssociativeMemoryTransformer(StoredMemory store, RetrievalColumns columns, RetrievalOptions retrieval, int batchSize, string storeColumn, string? labelColumn,
        IProgress<int>? progress = null, IComputeBackend? backend = null)
    {
        Progress = progress;
        Backend = backend ?? ManagedBackend.Instance;
        Store = store;
        Columns = columns;
        Retrieval = retrieval;
        BatchSize = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be > 0 (got {batchSize}).");
        StoreColumn = storeColumn;
        LabelColumn = labelColumn;
    }

    /// <summary>The memory and its labels.</summary>
    public StoredMemory Store { get; }

    /// <summary>The columns read and written.</summary>
    public RetrievalColumns Columns { get; }

    /// <summary>The descent settings.</summary>
    public RetrievalOptions Retrieval { get; }

    /// <summary>Rows retrieved together.</summary>
    public int BatchSize { get; }

    /// <summary>The column the store was fitted on (used by <see cref="AddRows"/>).</summary>
    public string StoreColumn { get; }

    /// <summary>The label column the store was fitted with, if any.</summary>
    public string? LabelColumn { get; }

    /// <summary>Told the step number whenever a batch of rows completes a descent step; not saved with the model.</summary>
    public IProgress<int>? Progress { get; }

    /// <summary>Where the descent steps run (<see cref="ManagedBackend"/> unless set by <see cref="WithBackend"/>); not saved with the model.</summary>
    public IComputeBackend Backend { get; }

    /// <summary>The same transformer reporting descent steps to <paramref name="progress"/> (e.g. a progress bar).</summary>
    public AssociativeMemoryTransformer WithProgress(IProgress<int>? progress)
        => new(Store, Columns, Retrieval, BatchSize, StoreColumn, LabelColumn, progress, Backend);

    /// <summary>
    /// The same transformer computing on <paramref name="backend"/>, e.g. <c>new TorchBackend(ComputeDevice.Cuda)</c>
    /// (DrDam.ML.TorchSharp) or <c>new IlgpuBackend()</c> (DrDam.ML.Ilgpu) for a GPU. A run-time
    /// choice of hardware: a loaded model computes on the managed backend until given another.
    /// </summary>
    public AssociativeMemoryTransformer WithBackend(IComputeBackend backend)
        => new(Store, Columns, Retrieval, BatchSize, StoreColumn, LabelColumn, Progress, backend ?? throw new ArgumentNullException(nameof(backend)));

    /// <summary>
    /// The same memory retrieving with other columns or settings, without refitting: e.g. a mask
    /// column for inpainting, or more steps. Output column first, as in ML.NET.
    /// </summary>
    public AssociativeMemoryTransformer WithRetrieval(string outputColumnName, string inputColumnName, string? maskColumnName = null,
        RetrievalOptions? options = null, int? batchSize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        return new(Store, new RetrievalColumns(inputColumnName, maskColumnName, outputColumnName), options ?? Retrieval,
            batchSize ?? BatchSize, StoreColumn, LabelColumn, Progress, Backend);
    }

    /// <summary>The columns this transformer adds, as an estimator's SchemaShape (checks the query and mask columns exist).</summary>
    internal SchemaShape GetOutputShape(SchemaShape inputSchema)
    {
        SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, Columns.Query, "Query"), "Query");
        if (Columns.Mask is { } mask)
            SchemaCheck.FindShape(inputSchema, mask, "Mask");
        var trace = Retrieval.RecordEnergyTrace ? Retrieval.MaxSteps + 1 : (int?)null;
        return SchemaCheck.With(inputSchema, Columns.Outputs(Store.Memory.Dimension, Store.Memory is MemoryMatrix, Store.Labels is not null, trace).Select(SchemaCheck.Shape));
    }

    /// <summary>A new store holding this one's patterns plus the rows of <paramref name="data"/> (same store and label columns).</summary>
    public AssociativeMemoryTransformer AddRows(IDataView data)
    {
        var memory = Store.Memory switch
        {
            MemoryMatrix matrix => (IAssociativeMemory)matrix.Clone(),
            DistributedMemory distributed => distributed.Clone(),
            _ => throw new InvalidOperationException($"Unknown memory type {Store.Memory.GetType().Name}."),
        };
        var labels = Store.Labels?.ToList();
        MemoryStoreFit.Stream(data, StoreColumn, LabelColumn, memory, labels);
        return WithStore(new StoredMemory(memory, labels));
    }

    /// <summary>
    /// A new store holding the patterns of both: T's add for Distributed stores built with the same
    /// seed, β, basis, Y and dimension (a sharded fit); patterns (and labels) are appended for Matrix stores.
    /// </summary>
    /// <exception cref="ArgumentException">The two stores are of different kinds or incompatible settings.</exception>
    public AssociativeMemoryTransformer Merge(AssociativeMemoryTransformer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        IAssociativeMemory merged;
        List<string>? labels = null;
        switch (Store.Memory, other.Store.Memory)
        {
            case (DistributedMemory a, DistributedMemory b):
                var copy = a.Clone();
                copy.Merge(b);
                merged = copy;
                break;
            case (MemoryMatrix a, MemoryMatrix b):
                if (a.Dimension != b.Dimension || a.Options != b.Options)
                    throw new ArgumentException($"Cannot merge Matrix stores with different dimension or options ({a.Dimension}, {a.Options} vs {b.Dimension}, {b.Options}).", nameof(other));
                if ((Store.Labels is null) != (other.Store.Labels is null))
                    throw new ArgumentException("Cannot merge a Matrix store that has labels with one that has none.", nameof(other));
                var matrix = a.Clone();
                matrix.AddRange(b.Patterns, (int)b.Count);
                merged = matrix;
                labels = Store.Labels?.Concat(other.Store.Labels!).ToList();
                break;
            default:
                throw new ArgumentException($"Cannot merge a {Store.Memory.GetType().Name} store with a {other.Store.Memory.GetType().Name} store.", nameof(other));
        }
        return WithStore(new StoredMemory(merged, labels));
    }

    // Every other setting, the progress sink and backend included, carries over.
    private AssociativeMemoryTransformer WithStore(StoredMemory store) => new(store, Columns, Retrieval, BatchSize, StoreColumn, LabelColumn, Progress, Backend);

    private protected override BatchMapping Mapping(DataViewSchema inputSchema)
        => new RetrievalMapping(inputSchema, Store, Columns, Retrieval, BatchSize, Progress, Backend);

    private protected override void Save(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(ModelFormat.Version(ModelSignature, LoaderSignature));
        ModelEntries.SaveSettings(ctx, w =>
        {
            w.Write(Columns.Query);
            ModelEntries.WriteOptional(w, Columns.Mask);
            w.Write(Columns.Output);
            w.Write(StoreColumn);
            ModelEntries.WriteOptional(w, LabelColumn);
            w.Write(Retrieval.StepSize);
            w.Write(Retrieval.MaxSteps);
            w.Write(Retrieval.Tolerance);
            w.Write(Retrieval.RecordEnergyTrace);
            w.Write(BatchSize);
        });
        SharedStoreEntry.Save(ctx, Store);
    }

    // Called by ML.NET's loader (the LoadableClass registration above).
    private static AssociativeMemoryTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ModelEntries.CheckVersion(ctx, ModelFormat.Version(ModelSignature, LoaderSignature));
        var (columns, storeColumn, labelColumn, retrieval, batchSize) = ModelEntries.LoadSettings(ctx, r =>
        (
            new RetrievalColumns(ModelEntries.Column(r), ModelEntries.OptionalColumn(r), ModelEntries.Column(r)),
            ModelEntries.Column(r),
            ModelEntries.OptionalColumn(r),
            new RetrievalOptions { StepSize = r.ReadDouble(), MaxSteps = r.ReadInt32(), Tolerance = r.ReadDouble(), RecordEnergyTrace = r.ReadBoolean() },
            ModelEntries.BatchSize(r.ReadInt32())
        ));
        var store = SharedStoreEntry.Load(ctx, expectLabels: labelColumn is not null);
        return ModelEntries.Load(ctx, ModelEntries.Settings, () => new AssociativeMemoryTransformer(store, columns, retrieval, batchSize, storeColumn, labelColumn));
    }
}
