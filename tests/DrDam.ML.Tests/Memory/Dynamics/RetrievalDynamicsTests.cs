using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Tests.Memory.Dynamics;

public class RetrievalDynamicsTests
{
    private const int D = 64, K = 20;

    private static IAssociativeMemory Matrix(float[] patterns, double beta, EnergyKind energy = EnergyKind.L2)
    {
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = beta, Energy = energy });
        memory.AddRange(patterns, patterns.Length / D);
        return memory;
    }

    private static IAssociativeMemory Distributed(float[] patterns, double beta, int featureCount)
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions { Beta = beta, FeatureCount = featureCount, Seed = 3 });
        memory.AddRange(patterns, patterns.Length / D);
        return memory;
    }

    private static float[] Flip(Random random, float[] patterns, double fraction)
    {
        var on = (float)(1 / Math.Sqrt(D));
        var noisy = (float[])patterns.Clone();
        for (var i = 0; i < noisy.Length; i++)
            if (random.NextDouble() < fraction)
                noisy[i] = noisy[i] > 0 ? 0 : on;
        return noisy;
    }

    private static int Hamming(ReadOnlySpan<float> state, ReadOnlySpan<float> pattern)
    {
        var threshold = 0.5 / Math.Sqrt(D);
        var count = 0;
        for (var i = 0; i < state.Length; i++)
            count += (state[i] > threshold) != (pattern[i] > threshold) ? 1 : 0;
        return count;
    }

    [Theory]
    [InlineData(EnergyKind.L2, false)]
    [InlineData(EnergyKind.Dot, false)]
    [InlineData(EnergyKind.CosineDot, false)]
    [InlineData(EnergyKind.Epanechnikov, false)]
    [InlineData(EnergyKind.L2, true)]
    public void EnergyNeverIncreases(EnergyKind energy, bool distributed)
    {
        for (var seed = 0; seed < 8; seed++)
        {
            var random = new Random(seed);
            var patterns = Oracle.Binary(random, K, D);
            // DrDAM's Ê is rougher than E (its curvature grows as ⟨φ,T⟩ shrinks), so "small enough η"
            // is smaller there: β ≤ 20 with Y = 8000 keeps η = 0.05 inside the descent regime.
            var beta = 5 + (distributed ? 15 : 40) * random.NextDouble();
            var memory = distributed ? Distributed(patterns, beta, 8000) : Matrix(patterns, beta, energy);
            var queries = Flip(random, patterns[..(4 * D)], 0.2);
            var result = memory.Retrieve(queries, 4, new RetrievalOptions { StepSize = 0.05, MaxSteps = 60, Tolerance = 0, RecordEnergyTrace = true });
            foreach (var trace in result.EnergyTrace!)
            {
                Assert.Equal(61, trace.Count);
                for (var t = 1; t < trace.Count; t++)
                    Assert.True(trace[t] <= trace[t - 1] + 1e-6, $"seed {seed} β={beta:F1}: energy rose from {trace[t - 1]} to {trace[t]} at step {t}");
            }
        }
    }

    [Fact]
    public void ClampedCoordinatesNeverChange()
    {
        var random = new Random(1);
        var patterns = Oracle.Binary(random, K, D);
        var queries = patterns[..(3 * D)];
        var clamped = new bool[3 * D];
        for (var i = 0; i < clamped.Length; i++)
        {
            var (row, column) = Math.DivRem(i, D);
            clamped[i] = column >= row * D / 4 && column < row * D / 4 + D / 3; // a different third known on every row
            if (!clamped[i])
                queries[i] = 0; // the rest occluded with zeros
        }
        // DrDAM at β = 10: at 30 the kernel of a two-thirds-hidden query is below the feature noise of Y = 3000, and the clipped energy has no slope.
        foreach (var memory in new[] { Matrix(patterns, 30), Distributed(patterns, 10, 3000) })
        {
            var result = memory.Retrieve(queries, 3, new RetrievalOptions { StepSize = 0.1, MaxSteps = 100 }, clamped);
            for (var i = 0; i < clamped.Length; i++)
            {
                if (clamped[i])
                    Assert.Equal(queries[i], result.States[i]);
            }
            Assert.True(Oracle.Distance(result.States, queries) > 0.1, "the occluded coordinates should have moved");
            for (var row = 0; row < 3; row++)
                Assert.True(Enumerable.Range(row * D, D).Any(i => !clamped[i] && result.States[i] != queries[i]), $"{memory.GetType().Name}: row {row}'s occluded coordinates did not move");
        }
    }

    [Fact]
    public void StoredPatternIsAFixedPointAtHighBeta()
    {
        var patterns = Oracle.Binary(new Random(2), K, D);
        var result = Matrix(patterns, 200).Retrieve(patterns, K, new RetrievalOptions { StepSize = 0.1, MaxSteps = 50 });
        Assert.All(result.Converged, Assert.True);
        Assert.True(Oracle.Distance(result.States, patterns) < 1e-4);
        Assert.All(result.Steps, s => Assert.Equal(1, s));
    }

    /// <summary>
    /// Regime: D = 64 binary patterns in {0, 1/√D}, K = 20, 10% of bits flipped, η = 0.1, 400 steps.
    /// Random patterns are ‖ξ−ξ'‖² ≈ 0.5 apart and a query 0.1 from its source. Measured over 10
    /// seeds × 20 patterns: at β = 30 MrDAM and DrDAM (SinCos, Y = 2¹⁴) restore all 200 exactly;
    /// at β ≤ 20 both fall into blended (spurious) states; at β = 40 DrDAM misses 4/200 with
    /// Y = 2¹⁴ and 28/200 with Y = 2¹² (larger β needs larger Y).
    /// </summary>
    [Fact]
    public void TenPercentCorruptedBinaryPatternIsRestored()
    {
        var random = new Random(3);
        var patterns = Oracle.Binary(random, K, D);
        var queries = Flip(random, patterns, 0.1);
        var options = new RetrievalOptions { StepSize = 0.1, MaxSteps = 400 };
        foreach (var memory in new[] { Matrix(patterns, 30), Distributed(patterns, 30, 1 << 14) })
        {
            var result = memory.Retrieve(queries, K, options);
            for (var mu = 0; mu < K; mu++)
                Assert.Equal(0, Hamming(result.State(mu), patterns.AsSpan(mu * D, D)));
        }
    }

    [Fact]
    public void ConvergedQueriesLeaveTheBatch()
    {
        var random = new Random(4);
        var patterns = Oracle.Binary(random, K, D);
        var memory = Matrix(patterns, 30);
        // Stored patterns converge at once; far random queries take longer.
        var queries = patterns[..(2 * D)].Concat(Oracle.Uniform(random, 2 * D, 0, 0.1)).ToArray();
        using var counting = new CountingEvaluator(ManagedBackend.Instance.CreateEvaluator(memory, 8));
        var options = new RetrievalOptions { StepSize = 0.1, MaxSteps = 200, Tolerance = 1e-7 };
        var result = new RetrievalDynamics(options).Run(counting, queries, 4);
        Assert.True(result.Steps[0] < result.Steps[2]);
        Assert.Equal(result.Steps.Sum(s => s + 1), counting.Rows);
        // Each query alone gives bit-identical results: batching changes nothing (up to 8 rows, batch and
        // single query share the skinny product kernel; larger batches use the packed one, equal to rounding).
        for (var q = 0; q < 4; q++)
        {
            var alone = memory.Retrieve(queries.AsSpan(q * D, D), 1, options);
            Assert.Equal(alone.States, result.State(q).ToArray());
            Assert.Equal(alone.Steps[0], result.Steps[q]);
            Assert.Equal(alone.Converged[0], result.Converged[q]);
        }
    }

    [Fact]
    public void BadInputNamesTheParameter()
    {
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalOptions { StepSize = 0 }).ParamName);
        Assert.Equal("MaxSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalOptions { MaxSteps = 0 }).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalOptions { Tolerance = -1 }).ParamName);
        var memory = Matrix(Oracle.Binary(new Random(5), K, D), 10);
        var mask = Assert.Throws<ArgumentException>(() => memory.Retrieve(new float[2 * D], 2, clamped: new bool[D]));
        Assert.Equal("clamped", mask.ParamName);
        Assert.Contains($"= {2 * D} values (got {D})", mask.Message);
        var nan = new float[2 * D];
        nan[D + 5] = float.NaN;
        Assert.Contains("row 1, coordinate 5", Assert.Throws<ArgumentException>(() => memory.Retrieve(nan, 2)).Message);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => memory.Retrieve(new float[D + 1], 1)).ParamName);
    }

    private sealed class CountingEvaluator(IEnergyEvaluator inner) : IEnergyEvaluator
    {
        public int Rows { get; private set; }
        public int Dimension => inner.Dimension;
        public int MaxBatch => inner.MaxBatch;
        public void Evaluate(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
        {
            Rows += rows;
            inner.Evaluate(states, rows, energies, gradients);
        }
        public void Dispose() => inner.Dispose();
    }
}
