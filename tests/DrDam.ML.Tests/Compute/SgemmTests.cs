using DrDam.ML.Compute.Managed;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Parallelism;

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

    // Row strides wider than the rows (A +3, B +5, C +2 floats): the padding must be read as nothing and left as it was.
    private static unsafe float[] Multiply(float[] a, float[] b, bool transposeB, int m, int n, int k, float[]? initial = null)
    {
        var (lda, ldb, ldc) = (k + 3, (transposeB ? k : n) + 5, n + 2);
        var paddedA = Pad(a, m, k, lda, float.NaN);
        var paddedB = transposeB ? Pad(b, n, k, ldb, float.NaN) : Pad(b, k, n, ldb, float.NaN);
        var paddedC = Pad(initial ?? new float[m * n], m, n, ldc, -7);
        fixed (float* pa = paddedA, pb = paddedB, pc = paddedC)
            Sgemm.Multiply(pa, lda, pb, ldb, transposeB, pc, ldc, m, n, k, accumulate: initial is not null);
        var c = new float[m * n];
        for (var i = 0; i < m; i++)
        {
            Array.Copy(paddedC, i * ldc, c, i * n, n);
            Assert.Equal([-7f, -7f], paddedC.AsSpan(i * ldc + n, 2).ToArray());
        }
        return c;
    }

    private static float[] Pad(float[] matrix, int rows, int columns, int stride, float filler)
    {
        var padded = new float[rows * stride];
        Array.Fill(padded, filler);
        for (var i = 0; i < rows; i++)
            Array.Copy(matrix, i * columns, padded, i * stride, columns);
        return padded;
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
    [InlineData(40, 96, 300, false)]
    [InlineData(300, 64, 256, false)]
    [InlineData(24, 1100, 520, true)]
    [InlineData(300, 40, 4000, true)]
    [InlineData(300, 40, 4000, false)]
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BitIdenticalWhateverTheThreadCount(bool transposeB)
    {
        var random = new Random(1);
        const int m = 200, n = 700, k = 600;
        var a = Oracle.Uniform(random, m * k, -1, 1);
        var b = Oracle.Uniform(random, k * n, -1, 1);
        var parallel = Multiply(a, b, transposeB, m, n, k);
        // A product started inside a pool loop runs on one thread (the pool runs one loop at a time).
        float[]? serial = null;
        WorkerPool.For(2, new Once(() => serial = Multiply(a, b, transposeB, m, n, k)));
        Assert.Equal(parallel, serial);
    }

    /// <summary>
    /// A row of C does not depend on how many rows are multiplied with it: the skinny path (≤ 8 rows) and the
    /// packed path sum each element in the same order, so any batch gives the same bits (retrieval relies on it).
    /// </summary>
    [Theory]
    [InlineData(true, 600, 83)]
    [InlineData(false, 600, 83)]
    [InlineData(true, 1100, 40)]
    [InlineData(false, 77, 1030)]
    public void EachRowIsBitIdenticalWhateverTheRowCount(bool transposeB, int k, int n)
    {
        var random = new Random(k + n);
        const int m = 37;
        var a = Oracle.Uniform(random, m * k, -1, 1);
        var b = Oracle.Uniform(random, k * n, -1, 1);
        var initial = Oracle.Uniform(random, m * n, -1, 1);
        var whole = Multiply(a, b, transposeB, m, n, k);
        var wholeAccumulated = Multiply(a, b, transposeB, m, n, k, initial);
        foreach (var rows in new[] { 1, 2, 5, 8, 9, 16, 30 })
        {
            for (var first = 0; first + rows <= m; first += rows)
            {
                var part = Multiply(a[(first * k)..((first + rows) * k)], b, transposeB, rows, n, k);
                Assert.Equal(whole[(first * n)..((first + rows) * n)], part);
                var accumulated = Multiply(a[(first * k)..((first + rows) * k)], b, transposeB, rows, n, k, initial[(first * n)..((first + rows) * n)]);
                Assert.Equal(wholeAccumulated[(first * n)..((first + rows) * n)], accumulated);
            }
        }
    }

    /// <summary>
    /// A product over bfloat16 B (the skinny steps' cached Ω) is the product over its widened values, bit for bit, for
    /// every row count it takes, with ragged columns, k across slices, padded strides and accumulation into C. This runs
    /// the host's widest path; the narrower ones (the 256-bit broadcast of a bfloat16 value among them) are held to the
    /// same bits by InstructionSetPathTests, whose skinny bfloat16 rows must equal the batch's widened ones.
    /// </summary>
    [Theory]
    [InlineData(true, 600, 83)]
    [InlineData(false, 600, 83)]
    [InlineData(true, 300, 1030)]
    [InlineData(false, 40, 1030)]
    public unsafe void RoundedProductIsTheProductOfTheWidenedValues(bool transposeB, int k, int n)
    {
        var random = new Random(k + n);
        var (rowsOfB, columnsOfB) = transposeB ? (n, k) : (k, n);
        var ldb = columnsOfB + 5;
        var rounded = new ushort[rowsOfB * ldb + 1]; // one value of padding, as FeatureSpace keeps it
        var values = Oracle.Uniform(random, rowsOfB * columnsOfB, -1, 1);
        for (var r = 0; r < rowsOfB; r++)
            BFloat16.Round(values.AsSpan(r * columnsOfB, columnsOfB), rounded.AsSpan(r * ldb, columnsOfB));
        var widened = new float[rowsOfB * columnsOfB];
        for (var r = 0; r < rowsOfB; r++)
            BFloat16.Widen(rounded.AsSpan(r * ldb, columnsOfB), widened.AsSpan(r * columnsOfB, columnsOfB));
        for (var m = 1; m <= Sgemm.SkinnyRows; m++)
        {
            var a = Oracle.Uniform(random, m * k, -1, 1);
            var initial = Oracle.Uniform(random, m * n, -1, 1);
            var expected = Multiply(a, widened, transposeB, m, n, k, initial);
            var c = (float[])initial.Clone();
            fixed (float* pa = a, pc = c)
            fixed (ushort* pb = rounded)
                Sgemm.MultiplyRounded(pa, k, pb, ldb, transposeB, pc, n, m, n, k, accumulate: true);
            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public unsafe void RoundedProductTakesAtMostTheSkinnyRows()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            fixed (float* a = new float[9], c = new float[9])
            fixed (ushort* b = new ushort[2])
                Sgemm.MultiplyRounded(a, 1, b, 1, transposeB: false, c, 1, Sgemm.SkinnyRows + 1, 1, 1, accumulate: false);
        });
        Assert.Equal("m", error.ParamName);
    }

    /// <summary>
    /// Chains zeroed, continued over one slice of B a few uneven rounds at a time and added to C give the product's bits
    /// (the skinny step's backward product, SkinnySlices), for every skinny row count, fp32 and bfloat16 B, columns
    /// past the 64- and 16-wide register blocks and past one 1,024-column window, with and without accumulation.
    /// </summary>
    [Theory]
    [InlineData(false, 1093)]
    [InlineData(true, 1093)]
    [InlineData(false, 70)]
    public unsafe void ChainsContinuedRoundByRoundAreTheProduct(bool rounded, int n)
    {
        const int k = Sgemm.SliceDepth;
        int[] rounds = [16, 16, 7, 31, 1, 16, 64, 105];
        Assert.Equal(k, rounds.Sum());
        var random = new Random(n + (rounded ? 1 : 0));
        var values = Oracle.Uniform(random, k * n + 1, -1, 1);
        var half = new ushort[k * n + 1];
        BFloat16.Round(values, half);
        if (rounded)
            BFloat16.Widen(half, values);
        for (var m = 1; m <= Sgemm.SkinnyRows; m++)
            foreach (var accumulate in new[] { false, true })
            {
                var a = Oracle.Uniform(random, m * k, -1, 1);
                var initial = Oracle.Uniform(random, m * n, -1, 1);
                var expected = (float[])initial.Clone();
                var c = (float[])initial.Clone();
                var sums = new float[Sgemm.SkinnyRows * n];
                fixed (float* pa = a, pb = values, pe = expected, pc = c, ps = sums)
                fixed (ushort* ph = half)
                {
                    Sgemm.Multiply(pa, k, pb, n, transposeB: false, pe, n, m, n, k, accumulate);
                    var p = 0;
                    foreach (var length in rounds)
                    {
                        var rows = rounded ? (byte*)(ph + p * n) : (byte*)(pb + p * n);
                        Sgemm.ContinueChains(pa + p, k, rows, rounded, n, ps, n, m, n, length);
                        p += length;
                    }
                    Sgemm.AddChains(ps, n, pc, n, m, n, accumulate);
                }
                Assert.Equal(expected, c);
            }
    }

    // A product packs its operands from the first cache line of a reused pinned buffer, up to 15 floats in. A buffer kept
    // because it merely held the values let the packing run past its end (the pinned heap's next object); pinned arrays
    // start 8-byte aligned, so one of eight sizes below would start on a line and hide it, not all eight.
    [Fact]
    public unsafe void ReusedPackingBuffersHoldTheirValuesPastTheAlignment()
    {
        for (var values = 100; values < 108; values++)
        {
            var buffer = Sgemm.WithAlignedRoom(null, values);
            for (var more = 0; more <= 16; more++)
            {
                buffer = Sgemm.WithAlignedRoom(buffer, values + more);
                fixed (float* start = buffer)
                {
                    var skipped = (int)((64 - ((nint)start & 63)) & 63) / sizeof(float);
                    Assert.True(buffer.Length - skipped >= values + more, $"{buffer.Length} floats, {skipped} skipped to the line, {values + more} packed");
                }
            }
        }
    }

    private sealed class Once(Action action) : IParallelWork
    {
        public void Execute(int index)
        {
            if (index == 0)
                action();
        }
    }
}
