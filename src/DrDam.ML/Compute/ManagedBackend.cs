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
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (maxBatch <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"maxBatch must be > 0 (got {maxBatch}).");
        if (memory.Count <= 0)
            throw new ArgumentException($"memory holds no patterns (Count = {memory.Count}); store at least one before evaluating it.", nameof(memory));
        return memory switch
        {
            MemoryMatrix matrix => new MemoryMatrixEvaluator(matrix, maxBatch),
            DistributedMemory distributed => new DistributedMemoryEvaluator(distributed, maxBatch),
            _ => throw new ArgumentException($"memory must be a MemoryMatrix or a DistributedMemory (got {memory.GetType().Name}).", nameof(memory)),
        };
    }
}
