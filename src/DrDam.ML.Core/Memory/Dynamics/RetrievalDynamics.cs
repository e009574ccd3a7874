using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DrDam.ML.Memory.Dynamics;

/// <summary>
/// Batched gradient descent on a memory's energy (docs/MATH.md §2), the same for MrDAM and DrDAM:
/// x⁽ᵗ⁾ = x⁽ᵗ⁻¹⁾ − η·∇E(x⁽ᵗ⁻¹⁾), clamped coordinates held fixed, each query stopped on its own once
/// its energy changes by less than ε. Converged queries leave the batch, so they cost no more work.
/// </summary>
public sealed class RetrievalDynamics(RetrievalOptions options)
{
    /// <summary>The descent settings.</summary>
    public RetrievalOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Runs the descent from <paramref name="count"/> queries.</summary>
    /// <param name="evaluator">Energy and gradient of the memory.</param>
    /// <param name="queries">Initial states, row-major count×D.</param>
    /// <param name="count">Number of queries.</param>
    /// <param name="clamped">Optional count×D mask: true where a coordinate is known and must not move.</param>
    /// <param name="progress">Optional: told the step number each time a batch of queries completes a step.</param>
    public RetrievalResult Run(IEnergyEvaluator evaluator, ReadOnlySpan<float> queries, int count, ReadOnlySpan<bool> clamped = default, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var d = evaluator.Dimension;
        Guard.Length(queries.Length, (long)count * d, nameof(queries), $"count×Dimension ({count}×{d})");
        if (!clamped.IsEmpty)
            Guard.Length(clamped.Length, (long)count * d, nameof(clamped), $"count×Dimension ({count}×{d})");
        Guard.Finite(queries, d, nameof(queries));

        var result = new RetrievalResult(count, d, queries.ToArray(), Options.RecordEnergyTrace);
        var free = FreeCoordinates(clamped);
        var batch = Math.Min(evaluator.MaxBatch, Math.Max(count, 1));
        var work = Interlocked.Exchange(ref spare, null) is { } kept && kept.Fits(batch, d) ? kept : new Workspace(batch, d);
        for (var first = 0; first < count; first += batch)
            RunChunk(evaluator, result, free, first, Math.Min(batch, count - first), work, progress);
        spare = work;
        return result;
    }

    // The last run's buffers, taken by the next run on any thread (a concurrent run makes its own): a caller stepping
    // batch after batch through the same dynamics allocates only its results (two batch×D buffers per call otherwise,
    // each fresh pages from the large-object heap).
    private Workspace? spare;

    // Fully optimised from the first call, as are the evaluators' steps and ClAM's assignment: a short job (ClAM assigning
    // Fashion-MNIST 1k, about 0.3 s) otherwise runs most of its steps in tier-0 code, about 15% slower end to end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunChunk(IEnergyEvaluator evaluator, RetrievalResult result, float[]? free, int first, int rows, Workspace work, IProgress<int>? progress)
    {
        var d = result.Dimension;
        var eta = (float)Options.StepSize;
        var active = rows;
        for (var j = 0; j < rows; j++)
        {
            work.Active[j] = first + j;
            if (result.EnergyTrace is not null)
                result.EnergyTrace[first + j] = new List<double>(Options.MaxSteps + 1);
        }
        for (var step = 0; active > 0; step++)
        {
            for (var j = 0; j < active; j++)
                result.State(work.Active[j]).CopyTo(work.States.AsSpan(j * d, d));
            evaluator.Evaluate(work.States.AsSpan(0, active * d), active, work.Energies, work.Gradients);
            var kept = 0;
            for (var j = 0; j < active; j++)
            {
                var i = work.Active[j];
                var energy = work.Energies[j];
                ((List<double>?)result.EnergyTrace?[i])?.Add(energy);
                if (step > 0 && Math.Abs(energy - result.Energies[i]) < Options.Tolerance)
                    result.Converged[i] = true;
                result.Energies[i] = energy;
                if (result.Converged[i] || step == Options.MaxSteps)
                    continue;
                var gradient = work.Gradients.AsSpan(j * d, d);
                if (free is not null)
                    TensorPrimitives.Multiply(gradient, free.AsSpan(i * d, d), gradient);
                var state = result.States.AsSpan(i * d, d);
                TensorPrimitives.MultiplyAdd(gradient, -eta, state, state);
                result.Steps[i]++;
                work.Active[kept++] = i;
            }
            active = kept;
            if (active > 0)
                progress?.Report(step + 1);
        }
    }

    private static float[]? FreeCoordinates(ReadOnlySpan<bool> clamped)
    {
        if (clamped.IsEmpty)
            return null;
        var free = new float[clamped.Length];
        for (var i = 0; i < free.Length; i++)
            free[i] = clamped[i] ? 0f : 1f;
        return free;
    }

    private sealed class Workspace(int batch, int dimension)
    {
        public bool Fits(int rows, int columns) => columns == dimension && rows <= batch;

        public int[] Active { get; } = new int[batch];
        public float[] States { get; } = new float[batch * dimension];
        public double[] Energies { get; } = new double[batch];
        public float[] Gradients { get; } = new float[batch * dimension];
    }
}
