using System.Numerics.Tensors;
using DrDam.ML.Memory;
using ILGPU;
using ILGPU.Runtime;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// MrDAM step on an ILGPU accelerator: S = XΞᵀ (tiled product), the energy's weights and energy
/// per row (one fused pass per row), M = WΞ; the host finishes ∇E = a·x − M with the energy's own code.
/// </summary>
internal sealed class IlgpuMemoryMatrixEvaluator : EvaluatorBase
{
    private readonly IlgpuBackend backend;
    private readonly MemoryMatrix memory;
    private readonly int count, kind;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> patterns, patternNorms, states, squaredNorms, scores, weighted, selfCoefficients;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> energies;
    private readonly float[] hostNorms, hostWeighted, hostSelf;
    private readonly double[] hostEnergies;

    public IlgpuMemoryMatrixEvaluator(IlgpuBackend backend, MemoryMatrix memory, int maxBatch) : base(memory, maxBatch)
    {
        this.backend = backend;
        this.memory = memory;
        count = (int)memory.Count;
        kind = (int)memory.Options.Energy;
        var accelerator = backend.Accelerator;
        var d = Dimension;
        patterns = accelerator.Allocate1D(memory.Patterns.ToArray());
        patternNorms = accelerator.Allocate1D(memory.SquaredNorms.ToArray());
        states = accelerator.Allocate1D<float>((long)maxBatch * d);
        squaredNorms = accelerator.Allocate1D<float>(maxBatch);
        scores = accelerator.Allocate1D<float>((long)maxBatch * count);
        weighted = accelerator.Allocate1D<float>((long)maxBatch * d);
        selfCoefficients = accelerator.Allocate1D<float>(maxBatch);
        energies = accelerator.Allocate1D<double>(maxBatch);
        (hostNorms, hostWeighted, hostSelf, hostEnergies) = (new float[maxBatch], new float[maxBatch * d], new float[maxBatch], new double[maxBatch]);
    }

    protected override void EvaluateCore(ReadOnlySpan<float> input, int rows, Span<double> energyOut, Span<float> gradientOut)
    {
        var d = Dimension;
        for (var r = 0; r < rows; r++)
            hostNorms[r] = TensorPrimitives.Dot(input.Slice(r * d, d), input.Slice(r * d, d));
        states.View.SubView(0, rows * d).CopyFromCPU(backend.Accelerator.DefaultStream, input);
        squaredNorms.View.SubView(0, rows).CopyFromCPU(backend.Accelerator.DefaultStream, hostNorms.AsSpan(0, rows));
        var kernels = backend.Kernels;
        kernels.Multiply(states.View, patterns.View, scores.View, rows, count, d, transposeB: true, accumulate: false);
        kernels.Weigh(rows, scores.View, patternNorms.View, squaredNorms.View, energies.View, selfCoefficients.View,
            count, kind, (float)memory.Beta, (float)memory.Options.Epsilon);
        kernels.Multiply(scores.View, patterns.View, weighted.View, rows, d, count, transposeB: false, accumulate: false);
        backend.Accelerator.Synchronize();
        weighted.View.SubView(0, rows * d).CopyToCPU(backend.Accelerator.DefaultStream, hostWeighted.AsSpan(0, rows * d));
        energies.View.SubView(0, rows).CopyToCPU(backend.Accelerator.DefaultStream, hostEnergies.AsSpan(0, rows));
        selfCoefficients.View.SubView(0, rows).CopyToCPU(backend.Accelerator.DefaultStream, hostSelf.AsSpan(0, rows));
        hostEnergies.AsSpan(0, rows).CopyTo(energyOut);
        for (var r = 0; r < rows; r++)
            memory.Energy.Gradient(input.Slice(r * d, d), hostNorms[r], hostSelf[r], hostWeighted.AsSpan(r * d, d), gradientOut.Slice(r * d, d));
    }

    public override void Dispose()
    {
        foreach (var buffer in new MemoryBuffer[] { patterns, patternNorms, states, squaredNorms, scores, weighted, selfCoefficients, energies })
            buffer.Dispose();
        base.Dispose();
    }
}
