using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

/// <summary>
/// The checks every non-default backend must pass against the managed one: energy and gradient for every
/// energy and basis (float tolerance stated per check), and retrieval with masks and per-row convergence.
/// </summary>
public sealed record BackendParity(int D, int K, int FeatureCount, int BlockSize, int Queries, int MaxSteps)
{
    /// <summary>Sizes for fast backends (several blocks of Ω, ragged tiles).</summary>
    public static BackendParity Default { get; } = new(24, 40, 700, 256, 12, 150);

    /// <summary>Sizes for ILGPU's CPU accelerator, which emulates GPU threads and is thousands of times slower.</summary>
    public static BackendParity Tiny { get; } = new(9, 12, 40, 16, 3, 25);

    public MemoryMatrix Matrix(EnergyKind energy)
    {
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 8, Energy = energy });
        memory.AddRange(Oracle.Uniform(new Random(1), K * D, 0, 0.4), K);
        return memory;
    }

    public DistributedMemory Distributed(FeatureBasisKind basis, ProjectionStorage storage = ProjectionStorage.Cached, bool linearAttention = false)
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions
        {
            Beta = 6, FeatureCount = FeatureCount, Basis = basis, Seed = 9, ProjectionStorage = storage, ProjectionBlockSize = BlockSize, LinearAttention = linearAttention,
        });
        memory.AddRange(Oracle.Uniform(new Random(2), K * D, 0, 0.3), K);
        return memory;
    }

    /// <summary>Energies agree within 1e-4·(1 + |E|) and gradients within 1e-3·(1 + ‖∇E‖∞) per coordinate.</summary>
    public void EnergyAndGradientAgree(IAssociativeMemory memory, IComputeBackend backend)
    {
        var states = Oracle.Uniform(new Random(3), Queries * D, 0, 0.4);
        var (expectedEnergies, expectedGradients) = memory.EnergyAndGradient(states, Queries);
        var (energies, gradients) = memory.EnergyAndGradient(states, Queries, backend);
        for (var q = 0; q < Queries; q++)
        {
            Assert.True(Math.Abs(expectedEnergies[q] - energies[q]) <= 1e-4 * (1 + Math.Abs(expectedEnergies[q])),
                $"{backend.Name}, query {q}: energy {energies[q]}, managed {expectedEnergies[q]}");
            var scale = 1 + expectedGradients.AsSpan(q * D, D).ToArray().Max(Math.Abs);
            for (var i = q * D; i < (q + 1) * D; i++)
                Assert.True(Math.Abs(expectedGradients[i] - gradients[i]) <= 1e-3 * scale,
                    $"{backend.Name}, query {q}, coordinate {i % D}: gradient {gradients[i]}, managed {expectedGradients[i]}");
        }
    }

    /// <summary>
    /// A batch in which the even rows start at (managed) fixed points and the odd rows far from one,
    /// run for fewer steps than the odd rows need: so per-row convergence is exercised, and the backend
    /// must give the same states (1e-3), leave clamped coordinates untouched, and agree on which rows
    /// converged and (within 2) after how many steps.
    /// </summary>
    public void RetrievalAgrees(IAssociativeMemory memory, IComputeBackend backend)
    {
        var queries = Oracle.Uniform(new Random(4), Queries * D, 0, 0.4);
        var clamped = new bool[Queries * D];
        for (var i = 0; i < clamped.Length; i++)
            clamped[i] = (i % D + i / D) % 3 == 0; // a different mask on every row: a row/mask mix-up cannot pass
        var options = new RetrievalOptions { StepSize = 0.2, MaxSteps = MaxSteps, Tolerance = 1e-6 };
        var settled = memory.Retrieve(queries, Queries, options with { MaxSteps = 20 * MaxSteps }, clamped).States;
        for (var q = 0; q < Queries; q += 2)
            settled.AsSpan(q * D, D).CopyTo(queries.AsSpan(q * D, D));
        var shortRun = options with { MaxSteps = 8 };
        var expected = memory.Retrieve(queries, Queries, shortRun, clamped);
        var actual = memory.Retrieve(queries, Queries, shortRun, clamped, backend);
        Assert.Equal(Enumerable.Range(0, Queries).Select(q => q % 2 == 0), expected.Converged);
        for (var i = 0; i < queries.Length; i++)
        {
            if (clamped[i])
                Assert.Equal(queries[i], actual.States[i]);
            Assert.True(Math.Abs(expected.States[i] - actual.States[i]) <= 1e-3, $"{backend.Name}, state {i}: {actual.States[i]} vs managed {expected.States[i]}");
        }
        Assert.Equal(expected.Converged, actual.Converged);
        for (var q = 0; q < Queries; q++)
            Assert.InRange(actual.Steps[q], expected.Steps[q] - 2, expected.Steps[q] + 2);
    }
}
