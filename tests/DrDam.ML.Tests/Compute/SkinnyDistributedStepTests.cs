using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

/// <summary>
/// The managed DrDAM step takes Ω slice by slice for at most 8 rows (one pass over Ω per step) and block by block for
/// more. Both must give every row the same bits, whatever the storage, basis, orthogonality or eq. 32's R; blocks of
/// 600 rows make ragged slices (256, 256, 88) and a ragged last block.
/// </summary>
public class SkinnyDistributedStepTests
{
    private const int D = 40, Rows = 12;

    public static TheoryData<FeatureBasisKind, ProjectionStorage, bool, bool> Settings => new()
    {
        { FeatureBasisKind.SinCos, ProjectionStorage.Cached, false, false },
        { FeatureBasisKind.SinCos, ProjectionStorage.OnDemand, false, false },
        { FeatureBasisKind.Cos, ProjectionStorage.OnDemand, false, false },
        { FeatureBasisKind.PositiveExp, ProjectionStorage.Cached, false, false },
        { FeatureBasisKind.SinCos, ProjectionStorage.OnDemand, true, false },
        { FeatureBasisKind.SinCos, ProjectionStorage.Cached, false, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void FewRowsGiveTheBitsOfABatch(FeatureBasisKind basis, ProjectionStorage storage, bool orthogonal, bool linearAttention)
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions
        {
            Beta = 5, FeatureCount = 1500, ProjectionBlockSize = 600, Basis = basis, ProjectionStorage = storage, Orthogonal = orthogonal,
            LinearAttention = linearAttention, Seed = 3,
        });
        memory.AddRange(Oracle.Uniform(new Random(1), 20 * D, 0, 0.3), 20);
        var states = Oracle.Uniform(new Random(2), Rows * D, 0, 0.3);
        using var evaluator = ManagedBackend.Instance.CreateEvaluator(memory, Rows);
        var (energies, gradients) = (new double[Rows], new float[Rows * D]);
        evaluator.Evaluate(states, Rows, energies, gradients);
        Assert.All(energies, e => Assert.True(double.IsFinite(e)));

        foreach (var (first, count) in new[] { (0, 8), (8, 4), (5, 1) })
        {
            var (partEnergies, partGradients) = (new double[count], new float[count * D]);
            evaluator.Evaluate(states.AsSpan(first * D, count * D), count, partEnergies, partGradients);
            Assert.Equal(energies[first..(first + count)], partEnergies);
            Assert.Equal(gradients[(first * D)..((first + count) * D)], partGradients);
        }
    }
}
