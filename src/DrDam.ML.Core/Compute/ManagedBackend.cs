using DrDam.ML.Compute.Managed;
using DrDam.ML.Memory;

namespace DrDam.ML.Compute;

/// <summary>
/// The default backend: managed code with 512-bit SIMD (System.Runtime.Intrinsics and
/// System.Numerics.Tensors), packed blocked matrix products, and all cores through Parallel.For.
/// </summary>
public sealed class ManagedBackend : IComputeBackend
{
    /// <summary>The shared instance.</summary>
    public static ManagedBackend Instance { get; } = new();

    private ManagedBackend() { }

    /// <inheritdoc/>
    public string Name => "managed";

    /// <inheritdoc/>
    public IEnergyEvaluator CreateEvaluator(IAssociativeMemory memory, int maxBatch)
        => EvaluatorBase.Create(memory, maxBatch, m => new MemoryMatrixEvaluator(m, maxBatch), d => new DistributedMemoryEvaluator(d, maxBatch));
}
