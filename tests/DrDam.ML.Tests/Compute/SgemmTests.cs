using DrDam.ML.Compute.Managed;

namespace DrDam.ML.Tests.Compute;

public class SgemmTests
{
    private static double[] Reference(float[] a, float[] b, bool transposeB, int m, int n, int k)
    {
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++)
                    sum += a[i * k + p] * (double)(transposeB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = sum;
            }
        return c;
    }

    private static unsafe float[] Multiply(float[] a, float[] b, bool transposeB, int m, int n, int k, float[]? initial = null)
    {
        var c = initial is null ? new float[m * n] : (float[])initial.Clone();
        fixed (float* pa = a, pb = b, pc = c)
            Sgemm.Multiply(pa, k, pb, transposeB ? k : n, transposeB, pc, n, m, n, k, accumulate: initial is not null);
        return c;
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(7, 33, 5, true)]
    [InlineData(9, 31, 300, false)]
    [InlineData(130, 270, 513, true)]
    [InlineData(130, 270, 513, false)]
    [InlineData(64, 1000, 40, true)]
    [InlineData(3, 2100, 700, false)]
    [InlineData(5, 1500, 900, true)]
    public void MatchesReferenceProduct(int m, int n, int k, bool transposeB)
    {
        var random = new Random(m + n + k);
        var a = Oracle.Uniform(random, m * k, -1, 1);
        var b = Oracle.Uniform(random, k * n, -1, 1);
        var expected = Reference(a, b, transposeB, m, n, k);
        var c = Multiply(a, b, transposeB, m, n, k);
        for (var i = 0; i < c.Length; i++)
            Assert.Equal(expected[i], c[i], 1e-4 * Math.Sqrt(k));
        var initial = Oracle.Uniform(random, m * n, -1, 1);
        var accumulated = Multiply(a, b, transposeB, m, n, k, initial);
        for (var i = 0; i < c.Length; i++)
            Assert.Equal(expected[i] + initial[i], accumulated[i], 1e-4 * Math.Sqrt(k));
    }

    [Fact]
    public async Task BitIdenticalWhateverTheThreadCount()
    {
        var random = new Random(1);
        const int m = 200, n = 700, k = 600;
        var a = Oracle.Uniform(random, m * k, -1, 1);
        var b = Oracle.Uniform(random, k * n, -1, 1);
        var parallel = Multiply(a, b, true, m, n, k);
        var oneThread = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1);
        var serial = await Task.Factory.StartNew(() => Multiply(a, b, true, m, n, k), CancellationToken.None, TaskCreationOptions.None, oneThread.ConcurrentScheduler);
        Assert.Equal(parallel, serial);
    }
}
