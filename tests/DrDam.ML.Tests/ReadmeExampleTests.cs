using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Persistence;

namespace DrDam.ML.Tests;

/// <summary>The README's usage example, compiled and run on small binary patterns (D = 64, β = 30, Y = 32000: with Y = 8000 the kernel signal e^{−β·0.25/2} ≈ 0.024 of the half-hidden query drowns in the feature noise).</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExampleRestoresHiddenPixels()
    {
        const int d = 64, n = 6;
        var patterns = Oracle.Binary(new Random(3), n, d);
        var queries = (float[])patterns.Clone();
        var visibleMask = new bool[n * d];
        for (var i = 0; i < visibleMask.Length; i++)
        {
            visibleMask[i] = i % d < d / 2;
            if (!visibleMask[i])
                queries[i] = 0;
        }

        var memory = new DistributedMemory(dimension: d, new DistributedMemoryOptions
            { Beta = 30, FeatureCount = 32_000, Seed = 7, ProjectionStorage = ProjectionStorage.OnDemand });
        memory.AddRange(patterns, rows: n);
        var result = memory.Retrieve(queries, count: n,
            new RetrievalOptions { StepSize = 0.1, MaxSteps = 300 }, clamped: visibleMask);
        var path = Path.GetTempFileName();
        using (var file = File.Create(path))
            MemorySerializer.Write(file, memory);

        var before = Oracle.Distance(queries, patterns);
        var after = Oracle.Distance(result.States, patterns);
        Assert.True(after < before / 10, $"distance to the originals {before} before, {after} after");
        using var reopened = File.OpenRead(path);
        Assert.Equal(memory.Memory.ToArray(), Assert.IsType<DistributedMemory>(MemorySerializer.Read(reopened)).Memory.ToArray());
        File.Delete(path);
    }
}
