using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Persistence;

namespace DrDam.ML.Tests.Memory;

/// <summary>
/// <see cref="ProjectionStorage.CachedBFloat16"/>: Ω held in bfloat16. Its rows are fp32 Ω rounded once (to nearest, ties to even), T is built from the same
/// rounded rows (one consistent map), the estimate stays close to the fp32 one, and a saved memory reloads bit for bit.
/// </summary>
public class BFloat16ProjectionTests
{
    private const int D = 48, Features = 1300, Stored = 30, Queries = 6;

    private static DistributedMemory Memory(ProjectionStorage storage)
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions { Beta = 8, FeatureCount = Features, ProjectionBlockSize = 500, Seed = 5, ProjectionStorage = storage });
        memory.AddRange(Oracle.Uniform(new Random(1), Stored * D, 0, 0.3), Stored);
        return memory;
    }

    [Fact]
    public void RowsAreTheSingleRowsRoundedOnce()
    {
        var single = Memory(ProjectionStorage.Cached).Features;
        var rounded = Memory(ProjectionStorage.CachedBFloat16).Features;
        var (expected, actual) = (new float[700 * D], new float[700 * D]);
        single.FillRows(400, 700, expected); // crosses the blocks at 500 and 1000
        rounded.FillRows(400, 700, actual);
        Assert.Equal(expected.Select(RoundedToBFloat16), actual);
        Assert.Contains(expected.Zip(actual), p => p.First != p.Second); // the rounding is real
        Assert.Equal(actual[..(100 * D)], rounded.Block(0, new float[500 * D])[(400 * D)..].ToArray());
        Assert.True(rounded.IsCached is false && rounded.IsGenerated is false);
    }

    // The nearest float with a zero low half, ties to the even one: the bfloat16 value, widened.
    private static float RoundedToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var (down, up) = (bits & 0xFFFF0000u, (bits & 0xFFFF0000u) + 0x10000u);
        var (low, high) = (BitConverter.UInt32BitsToSingle(down), BitConverter.UInt32BitsToSingle(up));
        var (toLow, toHigh) = (Math.Abs((double)value - low), Math.Abs((double)high - value));
        return toLow < toHigh || (toLow == toHigh && (down & 0x10000u) == 0) ? low : high;
    }

    [Fact]
    public void TheMemoryIsBuiltFromTheRoundedRows()
    {
        var memory = Memory(ProjectionStorage.CachedBFloat16);
        var patterns = Oracle.Uniform(new Random(1), Stored * D, 0, 0.3);
        // T = Σ φ(√β·ξ), with φ from the rounded rows (FeatureSpace.Map reads the same Ω the steps read).
        var expected = new double[memory.Features.FeatureLength];
        var phi = new float[memory.Features.FeatureLength];
        for (var p = 0; p < Stored; p++)
        {
            memory.Features.Map(patterns.AsSpan(p * D, D), phi);
            for (var i = 0; i < phi.Length; i++)
                expected[i] += phi[i];
        }
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], memory.Memory[i], 1e-5);
        var single = Memory(ProjectionStorage.Cached);
        Assert.Contains(Enumerable.Range(0, expected.Length), i => Math.Abs(single.Memory[i] - memory.Memory[i]) > 1e-6);
    }

    [Fact]
    public void EnergyAndGradientStayCloseToTheSinglePrecisionMap()
    {
        var states = Oracle.Uniform(new Random(3), Queries * D, 0, 0.3);
        var (singleEnergies, singleGradients) = Memory(ProjectionStorage.Cached).EnergyAndGradient(states, Queries);
        var (roundedEnergies, roundedGradients) = Memory(ProjectionStorage.CachedBFloat16).EnergyAndGradient(states, Queries);
        for (var q = 0; q < Queries; q++)
        {
            Assert.Equal(singleEnergies[q], roundedEnergies[q], 2e-3 * (1 + Math.Abs(singleEnergies[q])));
            var scale = singleGradients.AsSpan(q * D, D).ToArray().Max(Math.Abs);
            for (var i = q * D; i < (q + 1) * D; i++)
                Assert.Equal(singleGradients[i], roundedGradients[i], 1e-2 * scale);
        }
    }

    [Fact]
    public void SavedAndLoadedGivesTheSameBits()
    {
        var memory = Memory(ProjectionStorage.CachedBFloat16);
        using var stream = new MemoryStream();
        MemorySerializer.Write(stream, memory);
        stream.Position = 0;
        var loaded = Assert.IsType<DistributedMemory>(MemorySerializer.Read(stream));
        Assert.Equal(ProjectionStorage.CachedBFloat16, loaded.Options.ProjectionStorage);
        var states = Oracle.Uniform(new Random(4), Queries * D, 0, 0.3);
        Assert.Equal(memory.EnergyAndGradient(states, Queries).Gradients, loaded.EnergyAndGradient(states, Queries).Gradients);
    }
}
