using DrDam.ML.Memory.Dynamics;

namespace DrDam.ML.Tests.Memory.Dynamics;

public sealed class AutomaticBetaTests
{
    [Fact]
    public void BetaIsSharpnessOverTheMedianNearestSquaredDistance()
    {
        // Rows on a line at 0, 1, 3, 6: nearest squared distances 1, 1, 4, 9 → median (upper) 4.
        float[] patterns = [0, 0, 1, 0, 3, 0, 6, 0];
        Assert.Equal(4, AutomaticBeta.MedianNearestSquaredDistance(patterns, 4, 2), 6);
        Assert.Equal(AutomaticBeta.Sharpness / 4, AutomaticBeta.FromPatterns(patterns, 4, 2), 6);
    }

    [Fact]
    public void TheRuleIsScaleFreeAndIgnoresDuplicates()
    {
        var random = new Random(2);
        var patterns = Enumerable.Range(0, 50 * 8).Select(_ => (float)random.NextDouble()).ToArray();
        var beta = AutomaticBeta.FromPatterns(patterns, 50, 8);
        Assert.Equal(beta / 9, AutomaticBeta.FromPatterns(patterns.Select(v => 3 * v).ToArray(), 50, 8), beta * 1e-5);
        var doubled = patterns.Concat(patterns).ToArray();
        Assert.True(Math.Abs(AutomaticBeta.FromPatterns(doubled, 100, 8) - beta) <= beta * 0.3, "exact duplicates must not drive β to infinity");
    }

    [Fact]
    public void FewerThanTwoDistinctPatternsAreRefusedNamingBeta()
    {
        var error = Assert.Throws<ArgumentException>(() => AutomaticBeta.FromPatterns([1, 2, 1, 2], 2, 2));
        Assert.Equal("patterns", error.ParamName);
        Assert.Contains("Set Beta explicitly", error.Message);
    }
}
