using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Transforms;

public class EvaluationTransformTests
{
    private sealed class Image
    {
        [VectorType(2 * 4 * 3)] public float[] Pixels { get; set; } = [];
    }

    // A 4-row × 3-column image with 2 planar channels; value = 1 + index.
    private static IDataView Images(MLContext ml, int rows = 3)
        => ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ => new Image { Pixels = Enumerable.Range(1, 24).Select(v => (float)v).ToArray() }));

    private static (float[][] Values, bool[][] Visible) Occlude(OcclusionOptions options, int rows = 3)
    {
        var ml = new MLContext();
        var data = Images(ml, rows);
        var result = ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Pixels", options).Fit(data).Transform(data);
        return (Columns.Vectors(result, "Occluded"), Columns.Masks(result, "Visible"));
    }

    [Fact]
    public void BottomHidesTheLastRowsOfEveryChannel()
    {
        var (values, visible) = Occlude(new OcclusionOptions { Kind = OcclusionKind.Bottom, Fraction = 0.5, Height = 4, Width = 3, Channels = 2, FillValue = -1 });
        for (var i = 0; i < 24; i++)
        {
            var row = i % 12 / 3;
            Assert.Equal(row < 2, visible[0][i]);
            Assert.Equal(row < 2 ? i + 1 : -1, values[0][i]);
        }
    }

    [Fact]
    public void RectangleAndInterleavedLayoutsHideTheRightPixels()
    {
        var (_, visible) = Occlude(new OcclusionOptions { Kind = OcclusionKind.Rectangle, Rectangle = (1, 2, 2, 1), Height = 4, Width = 3, Channels = 2, Interleaved = true });
        var hidden = Enumerable.Range(0, 24).Where(i => !visible[0][i]).ToArray();
        // Pixels (y=2, x=1) and (y=2, x=2) are 7 and 8; interleaved, their channels sit at 14,15 and 16,17.
        Assert.Equal([14, 15, 16, 17], hidden);
    }

    [Fact]
    public void RandomOcclusionIsSeededPerRowAndHidesTheFraction()
    {
        var options = new OcclusionOptions { Kind = OcclusionKind.Random, Fraction = 0.4, Height = 4, Width = 3, Channels = 2, Seed = 8 };
        var (_, first) = Occlude(options, rows: 200);
        var (_, again) = Occlude(options, rows: 200);
        Assert.Equal(first, again);
        Assert.NotEqual(first[0], first[1]);
        var hiddenShare = first.SelectMany(v => v).Count(v => !v) / (200.0 * 24);
        Assert.Equal(0.4, hiddenShare, 0.03);
        // Both channels of a pixel are hidden together.
        Assert.All(first, v => Assert.Equal(v[..12], v[12..]));
        var (_, otherSeed) = Occlude(options with { Seed = 9 }, rows: 200);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void ImageShapeMustMatchTheVector()
    {
        var ml = new MLContext();
        var data = Images(ml);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.Occlude("O", "M", "Pixels", new OcclusionOptions { Height = 5, Width = 3, Channels = 2 }).Fit(data));
        Assert.Contains("has 24 values, but the image is 5×3×2 = 30", e.Message);
    }

    [Theory]
    [InlineData(NoiseKind.Gaussian, 0.3)]
    [InlineData(NoiseKind.SaltAndPepper, 0.2)]
    [InlineData(NoiseKind.BitFlip, 0.1)]
    public void NoiseHasTheRequestedStrengthAndIsSeeded(NoiseKind kind, double amount)
    {
        var ml = new MLContext();
        const int d = 50, n = 400;
        var clean = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, d).Select(i => (float)((r + i) % 2)).ToArray()).ToArray();
        var data = ml.Data.LoadFromEnumerable(clean.Select(v => new Wide { Values = v }));
        var options = new NoiseOptions { Kind = kind, Amount = amount, Seed = 3, Clip = false };
        var noisy = Columns.Vectors(ml.Transforms.AssociativeMemory.AddNoise("Noisy", "Values", options).Fit(data).Transform(data), "Noisy");
        var again = Columns.Vectors(ml.Transforms.AssociativeMemory.AddNoise("Noisy", "Values", options).Fit(data).Transform(data), "Noisy");
        Assert.Equal(noisy, again);
        var differences = clean.Zip(noisy).SelectMany(p => p.First.Zip(p.Second, (a, b) => (double)b - a)).ToArray();
        switch (kind)
        {
            case NoiseKind.Gaussian:
                Assert.Equal(amount, Math.Sqrt(differences.Average(x => x * x)), 0.01);
                break;
            case NoiseKind.SaltAndPepper:
                // Half of the hit coordinates already had the value they are set to.
                Assert.Equal(amount / 2, differences.Count(x => x != 0) / (double)differences.Length, 0.01);
                Assert.All(noisy.SelectMany(v => v), v => Assert.True(v is 0 or 1));
                break;
            default:
                Assert.Equal(amount, differences.Count(x => x != 0) / (double)differences.Length, 0.01);
                break;
        }
    }

    private sealed class Wide
    {
        [VectorType(50)] public float[] Values { get; set; } = [];
    }
}
