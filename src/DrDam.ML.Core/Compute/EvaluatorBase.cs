using System.Numerics.Tensors;
using DrDam.ML.Memory;

namespace DrDam.ML.Compute;

/// <summary>Argument and staleness checks shared by every backend's evaluators.</summary>
internal abstract class EvaluatorBase(IAssociativeMemory memory, int maxBatch) : IEnergyEvaluator
{
    private readonly long version = memory.Version;

    public int Dimension { get; } = memory.Dimension;

    public int MaxBatch { get; } = maxBatch;

    public void Evaluate(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
    {
        if (memory.Version != version)
            throw new InvalidOperationException("The memory changed after this evaluator was created; create a new evaluator.");
        if (rows < 0 || rows > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows must lie in [0, MaxBatch = {MaxBatch}].");
        var d = Dimension;
        var values = (long)rows * d;
        if (states.Length != values)
            throw new ArgumentException($"states must hold rows×Dimension = {rows}×{d} = {values} values (got {states.Length}).", nameof(states));
        if (energies.Length < rows)
            throw new ArgumentException($"energies must hold at least rows = {rows} values (got {energies.Length}).", nameof(energies));
        if (gradients.Length < values)
            throw new ArgumentException($"gradients must hold at least rows×Dimension = {values} values (got {gradients.Length}).", nameof(gradients));
        Guard.Finite(states, d, nameof(states));
        if (rows > 0)
            EvaluateCore(states, rows, energies, gradients);
    }

    /// <summary>
    /// What every backend's CreateEvaluator does: checks the arguments (a memory with patterns, a
    /// positive batch), then builds the evaluator for the memory's representation.
    /// </summary>
    public static IEnergyEvaluator Create(IAssociativeMemory memory, int maxBatch,
        Func<MemoryMatrix, IEnergyEvaluator> matrix, Func<DistributedMemory, IEnergyEvaluator> distributed)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (maxBatch <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"maxBatch must be > 0 (got {maxBatch}).");
        if (memory.Count <= 0)
            throw new ArgumentException($"memory holds no patterns (Count = {memory.Count}); store at least one before evaluating it.", nameof(memory));
        // The batch buffers: maxBatch states, gradients and (MrDAM) scores, or (DrDAM) projections per block.
        var width = Math.Max(memory.Dimension, memory is DistributedMemory dr ? dr.Features.BlockSize : memory.Count);
        MemoryLimits.Values((long)maxBatch * width, sizeof(float), $"a batch of maxBatch×{width} values", nameof(maxBatch));
        return memory switch
        {
            MemoryMatrix m => matrix(m),
            DistributedMemory d => distributed(d),
            _ => throw new ArgumentException($"memory must be a MemoryMatrix or a DistributedMemory (got {memory.GetType().Name}).", nameof(memory)),
        };
    }

    /// <summary>T (kept in double) as the float32 values the device steps use.</summary>
    public static float[] ToSingle(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        TensorPrimitives.ConvertTruncating(values, result.AsSpan()); // (float)v: rounds to the nearest float
        return result;
    }

    protected abstract void EvaluateCore(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients);

    public virtual void Dispose() { }
}
