using System.Runtime.Intrinsics.X86;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Memory.Features;

public class GaussianRowsTests
{
    [Fact]
    public void RowsHaveZeroMeanUnitVarianceAndDifferBySeed()
    {
        var row = new float[20001];
        GaussianRows.Fill(3, RandomStream.Projection, 7, row);
        Assert.Equal(0, row.Average(v => (double)v), 0.03);
        Assert.Equal(1, row.Average(v => (double)v * v), 0.03);
        Assert.Equal(3, row.Average(v => Math.Pow(v, 4)), 0.15); // Gaussian kurtosis
        var other = new float[20001];
        GaussianRows.Fill(4, RandomStream.Projection, 7, other);
        Assert.NotEqual(row, other);
        GaussianRows.Fill(3, RandomStream.Projection, 8, other);
        Assert.NotEqual(row, other);
    }

    /// <summary>
    /// The vector paths run Philox with one call per 32-bit lane, two vectors at a time, and finish a row with one
    /// vector (its two groups, or only the first): 1 to 5 groups, 10 and the 384 of a D = 12,288 row take every loop and
    /// tail.
    /// </summary>
    [SkippableTheory]
    [InlineData(512)]
    [InlineData(256)]
    public void VectorAndScalarUniformsAreIdentical(int vectorBits)
    {
        Skip.IfNot(vectorBits == 512 ? Avx512DQ.IsSupported : Avx2.IsSupported, $"this processor has no {vectorBits}-bit path");
        foreach (var groups in new[] { 1, 2, 3, 4, 5, 10, 384 })
        {
            var scalarRadius = new float[16 * groups];
            var scalarAngle = new float[16 * groups];
            var vectorRadius = new float[16 * groups];
            var vectorAngle = new float[16 * groups];
            foreach (var (seed, row) in new[] { (0UL, 0L), (123456789UL, 4242L), (ulong.MaxValue, (long)uint.MaxValue + 5) })
            {
                GaussianRows.FillUniformsScalar(seed, RandomStream.OrthogonalNorm, row, scalarRadius, scalarAngle);
                if (vectorBits == 512)
                    GaussianRows.FillUniformsAvx512(seed, RandomStream.OrthogonalNorm, row, vectorRadius, vectorAngle);
                else
                    GaussianRows.FillUniformsAvx2(seed, RandomStream.OrthogonalNorm, row, vectorRadius, vectorAngle);
                Assert.Equal(scalarRadius, vectorRadius);
                Assert.Equal(scalarAngle, vectorAngle);
            }
            Assert.All(scalarRadius, u => Assert.InRange(u, float.Epsilon, 1f));
        }
    }

    [Fact]
    public void PhiloxMatchesThePublishedKnownAnswer()
    {
        // Random123 known-answer test for philox4x32-10 (counter = key = 0).
        var (a, b, c, d) = Philox.Generate(0, 0, 0, 0, 0);
        Assert.Equal((0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u), (a, b, c, d));
    }
}

public class BoxMullerTests
{
    [Fact]
    public void AngleSineAndCosineMatchTheMathLibrary()
    {
        for (var i = 1; i <= 100_000; i++)
        {
            var u = i / 100_000f;
            var (sin, cos) = BoxMuller.SinCos(u);
            var theta = 2 * Math.PI * (u - 0.5);
            Assert.True(Math.Abs(sin - Math.Sin(theta)) < 5e-7 && Math.Abs(cos - Math.Cos(theta)) < 5e-7, $"u = {u}: {sin}, {cos}");
        }
    }

    /// <summary>
    /// An odd length has one sine fewer than cosines. With 16 pairs (D = 31, the vector width) the sine loop must stop
    /// one short: the row is the D = 32 row without its last sine, bit for bit.
    /// </summary>
    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(63)]
    [InlineData(65)]
    public void AnOddRowIsTheEvenRowWithoutItsLastSine(int dimension)
    {
        var odd = new float[dimension];
        var even = new float[dimension + 1];
        GaussianRows.Fill(9, RandomStream.Projection, 5, odd);
        GaussianRows.Fill(9, RandomStream.Projection, 5, even);
        var pairs = (dimension + 1) / 2;
        Assert.Equal(even[..pairs], odd[..pairs]);
        Assert.Equal(even[pairs..^1], odd[pairs..]);
    }

    [Fact]
    public void VectorAndScalarPathsAgreeBitForBit()
    {
        var random = new Random(4);
        var u1 = Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble() + 1e-6f).ToArray();
        var u2 = Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble()).ToArray();
        var radius = (float[])u1.Clone();
        var (cos, sin) = (new float[37], new float[37]);
        BoxMuller.Transform(radius, u2, cos, sin);
        for (var i = 0; i < 37; i++)
        {
            var (s, c) = BoxMuller.SinCos(u2[i]);
            Assert.Equal(radius[i] * c, cos[i]);
            Assert.Equal(radius[i] * s, sin[i]);
        }
    }
}
