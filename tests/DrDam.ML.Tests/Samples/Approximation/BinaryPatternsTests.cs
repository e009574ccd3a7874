using DrDam.ML.Samples.Approximation;

namespace DrDam.ML.Tests.Samples.Approximation;

public sealed class BinaryPatternsTests
{
    [Fact]
    public void PatternsAreBinaryInZeroAndOneOverRootD()
    {
        var patterns = BinaryPatterns.Random(50, 64, new Random(1));
        Assert.All(patterns, v => Assert.True(v == 0 || v == 0.125f));
        Assert.InRange(patterns.Count(v => v > 0) / (double)patterns.Length, 0.45, 0.55);
    }

    [Fact]
    public void FlippingTenPercentGivesAHammingDistanceOfOneTenth()
    {
        var patterns = BinaryPatterns.Random(20, 100, new Random(2));
        var near = BinaryPatterns.Flip(patterns, 20, 100, 0.1, new Random(3));
        Assert.Equal(0.1, BinaryPatterns.HammingDistance(patterns, near, 100), 12);
        Assert.Equal(0, BinaryPatterns.HammingDistance(patterns, patterns, 100));
    }

    [Fact]
    public void HammingDistanceRejectsMismatchedSets()
    {
        var error = Assert.Throws<ArgumentException>(() => BinaryPatterns.HammingDistance(new float[8], new float[4], 4));
        Assert.Contains("count×4", error.Message);
    }

    [Fact]
    public void LogLogSlopeRecoversAPowerLaw()
    {
        double[] x = [1, 2, 4, 8, 16];
        Assert.Equal(-0.5, LogLogSlope.Fit(x, x.Select(v => 3 / Math.Sqrt(v)).ToList()), 12);
        Assert.Throws<ArgumentException>(() => LogLogSlope.Fit(x, [1, 2, 0, 4, 5]));
    }
}
