using DrDam.ML.Samples.Imaging;

namespace DrDam.ML.Tests.Samples;

public sealed class ImageJobTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-job-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// Stored images, bottom half hidden and the visible top clamped: both memories restore the hidden
    /// pixels with under a fifth of the occluded input's MSE, on grey Fashion-MNIST (D = 784) and colour
    /// 12×12×3 stripes, MrDAM and DrDAM alike. β = 40 with Y = 20000: at β = 60 DrDAM on Fashion-MNIST
    /// needs Y ≈ 80000 (see the README).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StoredImagesAreRestoredFarBetterThanTheOccludedInput(bool grey)
    {
        string? images = null;
        if (!grey)
        {
            images = Directory.CreateDirectory(Path.Combine(folder, "colour")).FullName;
            ImageFiles.WriteStripes(images, 5, 12);
        }
        var report = new ImageJob(new ImageJobSettings
        {
            Command = "inpaint", Images = images, Count = 5, Beta = 40, Features = 20_000, Steps = 150,
            Occlude = "bottom:0.5", Out = folder, Json = true,
        }).Run(_ => null);
        Assert.Equal(grey ? 784 : 12 * 12 * 3, report["dimension"]);
        var corrupted = (double)report["mse_corrupted"]!;
        Assert.True((double)report["mse_mrdam"]! < corrupted / 5, $"MrDAM {report["mse_mrdam"]} vs occluded {corrupted}");
        Assert.True((double)report["mse_drdam"]! < corrupted / 5, $"DrDAM {report["mse_drdam"]} vs occluded {corrupted}");
    }

    /// <summary>
    /// Salt-and-pepper noise on 20% of the pixels of 5 stored Fashion-MNIST images, nothing clamped.
    /// Measured MSE: noisy 0.086; at β = 60 MrDAM 0.0042 and DrDAM (Y = 20000) 0.0049. At β = 40 the
    /// fixed points are still blends of images (0.043 and 0.038), so β matters more than Y here.
    /// </summary>
    [Fact]
    public void DenoisingRemovesMostOfTheNoise()
    {
        var report = new ImageJob(new ImageJobSettings
        {
            Command = "denoise", Count = 5, Beta = 60, Features = 20_000, Steps = 150, Noise = "saltpepper:0.2", Occlude = null, Out = folder, Json = true,
        }).Run(_ => null);
        var corrupted = (double)report["mse_corrupted"]!;
        Assert.True((double)report["mse_mrdam"]! < corrupted / 5, $"MrDAM {report["mse_mrdam"]} vs noisy {corrupted}");
        Assert.True((double)report["mse_drdam"]! < corrupted / 5, $"DrDAM {report["mse_drdam"]} vs noisy {corrupted}");
    }
}
