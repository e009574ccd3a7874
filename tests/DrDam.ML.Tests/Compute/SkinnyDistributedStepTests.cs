using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

/// <summary>
/// The managed DrDAM step takes Ω slice by slice for at most 8 rows (one pass over Ω per step) and block by block for
/// more. Both must give every row the same bits, whatever the storage, basis, orthogonality or eq. 32's R. Blocks of
/// 600 rows make a ragged last block; at D = 8,200 a pass holds one 256-row slice, so blocks split into 256, 256 and 88.
/// </summary>
public class SkinnyDistributedStepTests
{
    private const int Rows = 12;

    public static TheoryData<int, FeatureBasisKind, ProjectionStorage, bool, bool> Settings => new()
    {
        { 40, FeatureBasisKind.SinCos, ProjectionStorage.Cached, false, false },
        { 64, FeatureBasisKind.SinCos, ProjectionStorage.Cached, false, false }, // rows 80 floats apart (FeatureSpace.RowStride)
        { 40, FeatureBasisKind.SinCos, ProjectionStorage.OnDemand, true, false },
        { 40, FeatureBasisKind.SinCos, ProjectionStorage.Cached, false, true },
        { 8200, FeatureBasisKind.SinCos, ProjectionStorage.Cached, false, false },
        { 8200, FeatureBasisKind.SinCos, ProjectionStorage.OnDemand, false, false },
        { 8200, FeatureBasisKind.Cos, ProjectionStorage.CachedBFloat16, false, false },
        { 8200, FeatureBasisKind.PositiveExp, ProjectionStorage.Cached, false, false },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void FewRowsGiveTheBitsOfABatch(int d, FeatureBasisKind basis, ProjectionStorage storage, bool orthogonal, bool linearAttention)
    {
        var memory = new DistributedMemory(d, new DistributedMemoryOptions
        {
            Beta = 5, FeatureCount = 1500, ProjectionBlockSize = 600, Basis = basis, ProjectionStorage = storage, Orthogonal = orthogonal,
            LinearAttention = linearAttention, Seed = 3,
        });
        memory.AddRange(Oracle.Uniform(new Random(1), 20 * d, 0, 0.3), 20);
        var states = Oracle.Uniform(new Random(2), Rows * d, 0, 0.3);
        using var evaluator = ManagedBackend.Instance.CreateEvaluator(memory, Rows);
        var (energies, gradients) = (new double[Rows], new float[Rows * d]);
        evaluator.Evaluate(states, Rows, energies, gradients);
        Assert.All(energies, e => Assert.True(double.IsFinite(e)));

        foreach (var (first, count) in new[] { (0, 8), (8, 4), (5, 1) })
        {
            var (partEnergies, partGradients) = (new double[count], new float[count * d]);
            evaluator.Evaluate(states.AsSpan(first * d, count * d), count, partEnergies, partGradients);
            Assert.Equal(energies[first..(first + count)], partEnergies);
            Assert.Equal(gradients[(first * d)..((first + count) * d)], partGradients);
        }
    }

    // The slices of every block run in one loop and may finish out of order (here 256, 256 and 88 rows per block, so
    // unequal): a slice finished early is parked until the ones ahead of it are folded. Any other order of the adds
    // would change low bits in some of the 40 steps.
    [Fact]
    public void SlicesFinishedOutOfOrderAreFoldedInOrder()
    {
        const int d = 512;
        var memory = new DistributedMemory(d, new DistributedMemoryOptions { Beta = 5, FeatureCount = 6000, ProjectionBlockSize = 600, Seed = 4 });
        memory.AddRange(Oracle.Uniform(new Random(1), 20 * d, 0, 0.3), 20);
        var states = Oracle.Uniform(new Random(2), 12 * d, 0, 0.3);
        using var batched = ManagedBackend.Instance.CreateEvaluator(memory, 12);
        var (energies, gradients) = (new double[12], new float[12 * d]);
        batched.Evaluate(states, 12, energies, gradients);

        using var skinny = ManagedBackend.Instance.CreateEvaluator(memory, 4);
        var (stepEnergies, stepGradients) = (new double[4], new float[4 * d]);
        for (var step = 0; step < 40; step++)
        {
            skinny.Evaluate(states.AsSpan(0, 4 * d), 4, stepEnergies, stepGradients);
            Assert.Equal(energies[..4], stepEnergies);
            Assert.Equal(gradients[..(4 * d)], stepGradients);
        }
    }
}
