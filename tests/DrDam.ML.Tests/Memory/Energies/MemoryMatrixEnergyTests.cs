using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Tests.Memory.Energies;

public class MemoryMatrixEnergyTests
{
    private const int D = 12, K = 30, B = 6;

    private static (MemoryMatrix Memory, float[] Patterns, float[] Queries) Build(EnergyKind kind, double beta, int seed)
    {
        var random = new Random(seed);
        var patterns = Oracle.Uniform(random, K * D, 0, 0.4);
        var queries = Oracle.Uniform(random, B * D, 0, 0.4);
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = beta, Energy = kind });
        memory.AddRange(patterns, K);
        return (memory, patterns, queries);
    }

    [Theory]
    [InlineData(EnergyKind.L2, 1.0)]
    [InlineData(EnergyKind.L2, 20.0)]
    [InlineData(EnergyKind.Dot, 1.0)]
    [InlineData(EnergyKind.Dot, 20.0)]
    [InlineData(EnergyKind.CosineDot, 1.0)]
    [InlineData(EnergyKind.CosineDot, 20.0)]
    [InlineData(EnergyKind.Epanechnikov, 5.0)]
    [InlineData(EnergyKind.Epanechnikov, 20.0)]
    public void EnergyMatchesFormulaAndGradientMatchesFiniteDifference(EnergyKind kind, double beta)
    {
        var (memory, patterns, queries) = Build(kind, beta, seed: 11);
        var (energies, gradients) = memory.EnergyAndGradient(queries, B);
        for (var r = 0; r < B; r++)
        {
            var x = Oracle.ToDouble(queries.AsSpan(r * D, D));
            double Energy(double[] v) => Oracle.MatrixEnergy(kind, beta, v, patterns, D);
            Assert.Equal(Energy(x), energies[r], 1e-4);
            var reference = Oracle.Gradient(Energy, x);
            for (var i = 0; i < D; i++)
                Assert.True(Math.Abs(reference[i] - gradients[r * D + i]) < 2e-4 * (1 + Math.Abs(reference[i])),
                    $"{kind} β={beta} row {r} coordinate {i}: finite difference {reference[i]}, gradient {gradients[r * D + i]}");
        }
    }

    [Theory]
    [InlineData(EnergyKind.L2)]
    [InlineData(EnergyKind.Dot)]
    [InlineData(EnergyKind.CosineDot)]
    [InlineData(EnergyKind.Epanechnikov)]
    public void HighBetaStaysFinite(EnergyKind kind)
    {
        var (memory, patterns, queries) = Build(kind, 1000, seed: 3);
        for (var i = 0; i < D; i++)
            queries[i] = patterns[3 * D + i] + 0.01f * (i % 3 - 1); // near pattern 3, far from the rest
        var (energies, gradients) = memory.EnergyAndGradient(queries, B);
        Assert.All(energies, e => Assert.True(double.IsFinite(e)));
        Assert.All(gradients, g => Assert.True(float.IsFinite(g)));
        // At β = 1000 the L2 gradient is x minus the nearest pattern (the softmax is one-hot).
        if (kind == EnergyKind.L2)
        {
            for (var i = 0; i < D; i++)
                Assert.Equal(queries[i] - patterns[3 * D + i], gradients[i], 1e-5);
        }
    }

    [Fact]
    public void EpanechnikovOutsideEverySupportIsFlat()
    {
        var memory = new MemoryMatrix(2, new MemoryMatrixOptions { Beta = 2, Energy = EnergyKind.Epanechnikov });
        memory.Add([0f, 0f]);
        var (energies, gradients) = memory.EnergyAndGradient([5f, 5f], 1);
        Assert.Equal(-Math.Log(EpanechnikovEnergy.DefaultEpsilon) / 2, energies[0], 1e-9);
        Assert.Equal([0f, 0f], gradients);
    }

    [Fact]
    public void BadOptionsNameTheParameter()
    {
        var beta = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMatrixOptions { Beta = 0 });
        Assert.Equal("Beta", beta.ParamName);
        Assert.Contains("> 0", beta.Message);
        Assert.Equal("Beta", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMatrixOptions { Beta = double.NaN }).ParamName);
        Assert.Equal("Energy", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMatrixOptions { Energy = (EnergyKind)9 }).ParamName);
        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMatrixOptions { Epsilon = -1 }).ParamName);
    }

    /// <summary>
    /// Dot products whose logits lie 0–150 below the largest (Dot energy, β = 1): without the floor, those 87–103 below
    /// give subnormal weights. With it no weight is subnormal, weights above e^LogitFloor of the largest are the exact
    /// softmax's, and the energy is the exact log-sum-exp.
    /// </summary>
    [Theory]
    [InlineData(EnergyKind.L2)]
    [InlineData(EnergyKind.Dot)]
    public void SoftmaxWeightsAreNeverSubnormal(EnergyKind kind)
    {
        const int memories = 64;
        var gaps = Enumerable.Range(0, memories).Select(i => 150.0 * i / (memories - 1)).ToArray();
        var dots = gaps.Select(g => (float)-g).ToArray(); // logits β·d_μ − β/2·‖ξ‖² with ‖ξ‖ = 0: the gaps themselves
        var energy = MemoryMatrixEnergy.Create(kind, beta: 1);
        var (value, _) = energy.Weigh(dots, new float[memories], squaredNorm: 0);
        Assert.Contains(gaps, g => g is > 88 and < 102);
        Assert.DoesNotContain(dots, float.IsSubnormal);
        var sum = gaps.Sum(g => Math.Exp(-g));
        Assert.Equal(-Math.Log(sum), value, 1e-6);
        for (var mu = 0; mu < memories; mu++)
        {
            var expected = Math.Exp(Math.Max(-gaps[mu], MemoryMatrixEnergy.LogitFloor)) / sum;
            Assert.InRange(dots[mu], expected * (1 - 1e-5), expected * (1 + 1e-5));
        }
    }
}
