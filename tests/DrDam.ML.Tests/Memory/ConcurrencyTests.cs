using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Memory;

/// <summary>Adding from several threads at once is safe (serialised by a lock): nothing is lost, and T is the sequential T.</summary>
public sealed class ConcurrencyTests
{
    private const int D = 16, Threads = 4, RowsPerThread = 64;

    [Fact]
    public void ConcurrentDistributedAddsGiveTheSequentialMemory()
    {
        var chunks = Enumerable.Range(0, Threads).Select(t => Oracle.Uniform(new Random(t), RowsPerThread * D, 0, 0.25)).ToArray();
        var options = new DistributedMemoryOptions { Beta = 10, FeatureCount = 512, ProjectionBlockSize = 64, Seed = 3 };
        var sequential = new DistributedMemory(D, options);
        foreach (var chunk in chunks)
            sequential.AddRange(chunk, RowsPerThread);
        for (var trial = 0; trial < 20; trial++)
        {
            var concurrent = new DistributedMemory(D, options);
            using var start = new Barrier(Threads);
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                start.SignalAndWait();
                for (var r = 0; r < RowsPerThread; r += 8)
                    concurrent.AddRange(chunks[t].AsMemory(r * D, 8 * D), 8);
            });
            Assert.Equal(Threads * RowsPerThread, concurrent.Count);
            var expected = sequential.Memory;
            var actual = concurrent.Memory;
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"trial {trial}, T[{i}]: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void ClonesSharingOneFeatureSpaceCanBeFilledConcurrently()
    {
        var chunks = Enumerable.Range(0, 2).Select(t => Oracle.Uniform(new Random(10 + t), RowsPerThread * D, 0, 0.25)).ToArray();
        var original = new DistributedMemory(D, new DistributedMemoryOptions { Beta = 10, FeatureCount = 512, ProjectionBlockSize = 64 });
        var expected = chunks.Select(chunk =>
        {
            var alone = original.Clone();
            alone.AddRange(chunk, RowsPerThread);
            return alone.Memory.ToArray();
        }).ToArray();
        for (var trial = 0; trial < 10; trial++)
        {
            var clones = new[] { original.Clone(), original.Clone() };
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, t =>
            {
                for (var r = 0; r < RowsPerThread; r += 8)
                    clones[t].AddRange(chunks[t].AsMemory(r * D, 8 * D), 8);
            });
            for (var t = 0; t < 2; t++)
                Assert.Equal(expected[t], clones[t].Memory.ToArray());
        }
    }

    [Fact]
    public void ConcurrentMatrixAddsLoseNoRow()
    {
        for (var trial = 0; trial < 20; trial++)
        {
            var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 10 });
            using var start = new Barrier(Threads);
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                start.SignalAndWait();
                var row = new float[D];
                for (var r = 0; r < RowsPerThread * 8; r++)
                {
                    row[0] = t;
                    row[1] = r;
                    memory.Add(row);
                }
            });
            Assert.Equal(Threads * RowsPerThread * 8, memory.Count);
            var rows = Enumerable.Range(0, (int)memory.Count).Select(i => (memory[i][0], memory[i][1])).Order().ToArray();
            var expected = Enumerable.Range(0, Threads).SelectMany(t => Enumerable.Range(0, RowsPerThread * 8).Select(r => ((float)t, (float)r))).Order().ToArray();
            Assert.Equal(expected, rows);
        }
    }
}
