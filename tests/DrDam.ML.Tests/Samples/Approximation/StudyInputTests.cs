using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Approximation;

namespace DrDam.ML.Tests.Samples.Approximation;

/// <summary>The data and averaging the studies are built on.</summary>
public sealed class StudyInputTests
{
    [Fact]
    public void PooledDigitsAreSixteenFeaturesInsideZeroToOneOverRootD()
    {
        var rows = BasisStudy.PooledDigits(seed: 0);
        Assert.Equal(1797, rows.Length);
        Assert.All(rows, r => Assert.Equal(16, r.Length));
        Assert.All(rows.SelectMany(r => r), v => Assert.InRange(v, 0f, 0.25f));
        Assert.InRange(rows.SelectMany(r => r).Max(), 0.2f, 0.25f);
        // Each pooled cell is the mean of a 2×2 block, so the pooled total is a quarter of the pixel total, scaled by 1/(16·4).
        var digits = DrDam.ML.Samples.Clustering.TabularData.Dataset("digits").Features;
        var expected = digits.Sum(r => r.Sum()) / (4.0 * 16 * 4);
        Assert.InRange(rows.Sum(r => (double)r.Sum()), expected * (1 - 1e-5), expected * (1 + 1e-5));
    }

    [Fact]
    public void AveragingOverDrawsIsTheMeanOfTheSingleDraws()
    {
        var random = new Random(5);
        var stored = BinaryPatterns.Random(40, 16, random);
        var queries = BinaryPatterns.Random(10, 16, random);
        var exact = StudyMemories.Exact(stored, 16, 10);
        var single = Enumerable.Range(0, 3)
            .Select(draw => ApproximationError.Measure(exact, StudyMemories.Distributed(stored, 16, 10, FeatureBasisKind.SinCos, 256, 7 + draw), queries)).ToList();
        var average = ApproximationError.Average(exact, draw => StudyMemories.Distributed(stored, 16, 10, FeatureBasisKind.SinCos, 256, 7 + draw), 3, [queries]);
        Assert.Equal(single.Average(e => e.Energy), average[0].Energy, 12);
        Assert.Equal(single.Average(e => e.Gradient), average[0].Gradient, 12);
        Assert.NotEqual(single[0].Energy, single[1].Energy);
    }
}
