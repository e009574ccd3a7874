using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Memory.Features;

public class FeatureBasisTests
{
    private const int D = 8;

    // Two fixed points with ‖a−b‖² = 0.5: the RBF kernel is exp(−0.25) ≈ 0.78.
    private static readonly float[] A = [0.1f, 0.2f, 0f, 0.3f, 0.1f, 0f, 0.2f, 0.1f];
    private static readonly float[] B = [0.4f, 0.2f, 0.3f, 0.0f, 0.1f, 0.4f, 0.2f, 0.1f];

    private static double Kernel()
    {
        var d2 = 0.0;
        for (var i = 0; i < D; i++)
            d2 += (A[i] - B[i]) * (A[i] - B[i]);
        return Math.Exp(-d2 / 2);
    }

    private static double Estimate(FeatureBasisKind basis, int featureCount, ulong seed, bool orthogonal = false)
    {
        var space = new FeatureSpace(D, new DistributedMemoryOptions { Beta = 1, FeatureCount = featureCount, Basis = basis, Seed = seed, Orthogonal = orthogonal });
        var fa = new float[space.FeatureLength];
        var fb = new float[space.FeatureLength];
        space.Map(A, fa);
        space.Map(B, fb);
        var sum = 0.0;
        for (var i = 0; i < fa.Length; i++)
            sum += (double)fa[i] * fb[i];
        return sum;
    }

    [Theory]
    [InlineData(FeatureBasisKind.SinCos, false)]
    [InlineData(FeatureBasisKind.Cos, false)]
    [InlineData(FeatureBasisKind.PositiveExp, false)]
    [InlineData(FeatureBasisKind.PositiveExpExp, false)]
    [InlineData(FeatureBasisKind.SinCos, true)]
    public void MeanOverSeedsApproachesTheKernel(FeatureBasisKind basis, bool orthogonal)
    {
        // 400 seeds of Y = 64: the standard error of the mean is below 0.01 for every basis here.
        var estimates = Enumerable.Range(0, 400).Select(s => Estimate(basis, 64, (ulong)s, orthogonal)).ToArray();
        Assert.Equal(Kernel(), estimates.Average(), 0.02);
    }

    [Theory]
    [InlineData(FeatureBasisKind.SinCos)]
    [InlineData(FeatureBasisKind.Cos)]
    [InlineData(FeatureBasisKind.PositiveExp)]
    [InlineData(FeatureBasisKind.PositiveExpExp)]
    public void ErrorOfOneDrawFallsLikeInverseSquareRootOfY(FeatureBasisKind basis)
    {
        int[] ys = [256, 1024, 4096, 16384];
        var kernel = Kernel();
        var logY = new List<double>();
        var logError = new List<double>();
        foreach (var y in ys)
        {
            var rms = Math.Sqrt(Enumerable.Range(0, 24).Select(s => Math.Pow(Estimate(basis, y, (ulong)(1000 + s)) - kernel, 2)).Average());
            logY.Add(Math.Log(y));
            logError.Add(Math.Log(rms));
        }
        var slope = Slope(logY, logError);
        Assert.InRange(slope, -0.7, -0.3);
    }

    [Fact]
    public void OrthogonalFeaturesHaveLowerVarianceThanIndependentOnes()
    {
        var kernel = Kernel();
        double Mse(bool orthogonal) => Enumerable.Range(0, 300).Select(s => Math.Pow(Estimate(FeatureBasisKind.SinCos, 16, (ulong)s, orthogonal) - kernel, 2)).Average();
        Assert.True(Mse(true) < 0.9 * Mse(false), $"orthogonal MSE {Mse(true)}, independent MSE {Mse(false)}");
    }

    [Fact]
    public void OrthogonalRowsAreOrthogonalWithinEachGroupOfD()
    {
        var projection = new RandomProjection(D, 2 * D, seed: 5, orthogonal: true);
        var rows = new float[2 * D * D];
        projection.FillRows(0, 2 * D, rows);
        for (var i = 0; i < D; i++)
            for (var j = 0; j < i; j++)
                Assert.Equal(0, Oracle.Dot(Oracle.ToDouble(rows.AsSpan(i * D, D)), rows.AsSpan(j * D, D)), 1e-5);
        // Across groups the rows are independent, not orthogonal.
        Assert.NotEqual(0, Oracle.Dot(Oracle.ToDouble(rows.AsSpan(0, D)), rows.AsSpan(D * D, D)), 1e-3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnyBlockRegeneratesIdentically(bool orthogonal)
    {
        var projection = new RandomProjection(D, 37, seed: 9, orthogonal);
        var all = new float[37 * D];
        projection.FillRows(0, 37, all);
        var block = new float[13 * D];
        projection.FillRows(11, 13, block);
        Assert.Equal(all.AsSpan(11 * D, 13 * D).ToArray(), block);
        var again = new float[13 * D];
        Parallel.For(0, 4, _ => projection.FillRows(11, 13, again));
        Assert.Equal(block, again);
    }

    private static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var mx = x.Average();
        var my = y.Average();
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
    }
}
