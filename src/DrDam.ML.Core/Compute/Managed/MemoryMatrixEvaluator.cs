using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DrDam.ML.Memory.Parallelism;
using DrDam.ML.Memory;

namespace DrDam.ML.Compute.Managed;

/// <summary>
/// MrDAM step for a batch: S = XΞᵀ (one product), per-row weights and energy, M = WΞ (a second
/// product), then ∇E = a·x − M row by row. About 4·B·K·D flops.
/// </summary>
internal sealed unsafe class MemoryMatrixEvaluator : EvaluatorBase
{
    private readonly MemoryMatrix memory;
    private readonly int count;
    private readonly float[] states, scores, weighted, squaredNorms, selfCoefficients;
    private readonly double[] energies;
    private readonly ChunkedLoop weigh;

    public MemoryMatrixEvaluator(MemoryMatrix memory, int maxBatch) : base(memory, maxBatch)
    {
        this.memory = memory;
        count = (int)memory.Count;
        states = GC.AllocateUninitializedArray<float>(maxBatch * Dimension, pinned: true);
        scores = GC.AllocateUninitializedArray<float>(maxBatch * count, pinned: true);
        weighted = GC.AllocateUninitializedArray<float>(maxBatch * Dimension, pinned: true);
        squaredNorms = new float[maxBatch];
        selfCoefficients = new float[maxBatch];
        energies = new double[maxBatch];
        weigh = new ChunkedLoop(Weigh);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: see RetrievalDynamics.RunChunk
    protected override void EvaluateCore(ReadOnlySpan<float> input, int rows, Span<double> energyOut, Span<float> gradientOut)
    {
        var d = Dimension;
        input.CopyTo(states);
        fixed (float* x = states, s = scores, m = weighted, xi = memory.Patterns)
        {
            Sgemm.Multiply(x, d, xi, d, transposeB: true, s, count, rows, count, d, accumulate: false);
            weigh.Run(rows);
            Sgemm.Multiply(s, count, xi, d, transposeB: false, m, d, rows, d, count, accumulate: false);
        }
        energies.AsSpan(0, rows).CopyTo(energyOut);
        for (var r = 0; r < rows; r++)
        {
            memory.Energy.Gradient(states.AsSpan(r * d, d), squaredNorms[r], selfCoefficients[r],
                weighted.AsSpan(r * d, d), gradientOut.Slice(r * d, d));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: see RetrievalDynamics.RunChunk
    private void Weigh(int from, int to)
    {
        var d = Dimension;
        for (var r = from; r < to; r++)
        {
            var x = states.AsSpan(r * d, d);
            squaredNorms[r] = TensorPrimitives.Dot<float>(x, x);
            (energies[r], selfCoefficients[r]) = memory.Energy.Weigh(scores.AsSpan(r * count, count), memory.SquaredNorms, squaredNorms[r]);
        }
    }
}
