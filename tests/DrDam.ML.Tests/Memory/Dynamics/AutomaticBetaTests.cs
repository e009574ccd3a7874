using DrDam.ML.Memory.Dynamics;

namespace DrDam.ML.Tests.Memory.Dynamics;

public sealed class AutomaticBetaTests
{
    [Fact]
    public void BetaIsSharpnessOverTheMeanSquaredDistance()
    {
        // Rows at 0, 1 and 3 on a line: squared distances 1, 9, 4 → mean 14/3.
        float[] patterns = [0, 0, 1, 0, 3, 0];
        Assert.Equal(14 / 3.0, AutomaticBeta.MeanSquaredDistance(patterns, 3, 2), 6);
        Assert.Equal(AutomaticBeta.MatrixSharpness * 3 / 14, AutomaticBeta.ForMatrix(patterns, 3, 2), 6);
        Assert.Equal(AutomaticBeta.DistributedSharpness * 3 / 14, AutomaticBeta.ForDistributed(patterns, 3, 2), 6);
    }

    [Fact]
    public void TheRuleIsScaleFree()
    {
        var random = new Random(2);
        var patterns = Enumerable.Range(0, 50 * 8).Select(_ => (float)random.NextDouble()).ToArray();
        var beta = AutomaticBeta.ForMatrix(patterns, 50, 8);
        Assert.Equal(beta / 9, AutomaticBeta.ForMatrix(patterns.Select(v => 3 * v).ToArray(), 50, 8), beta * 1e-5);
    }

    [Fact]
    public void LargeSetsAreSampledTheSameWayEveryTime()
    {
        var random = new Random(4);
        var patterns = Enumerable.Range(0, 3000 * 4).Select(_ => (float)random.NextDouble()).ToArray();
        var first = AutomaticBeta.MeanSquaredDistance(patterns, 3000, 4);
        Assert.Equal(first, AutomaticBeta.MeanSquaredDistance(patterns, 3000, 4));
        Assert.Equal(4 / 6.0, first, 0.03); // E‖x − x′‖² = 4·(1/6) for uniform coordinates
    }

    [Fact]
    public void FewerThanTwoDistinctPatternsAreRefusedNamingBeta()
    {
        var error = Assert.Throws<ArgumentException>(() => AutomaticBeta.ForMatrix([1, 2, 1, 2], 2, 2));
        Assert.Equal("patterns", error.ParamName);
        Assert.Contains("Set Beta explicitly", error.Message);
    }
}
