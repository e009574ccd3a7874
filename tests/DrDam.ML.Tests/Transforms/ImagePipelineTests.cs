using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DrDam.ML.Tests.Transforms;

public sealed class ImagePipelineTests : IDisposable
{
    private const int Size = 8;
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-images-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private sealed class ImageFile
    {
        public string Path { get; set; } = "";
    }

    /// <summary>
    /// LoadImages → ResizeImages → ExtractPixels (RGB, planar, scaled to [0, 1/√D]) → Occlude (bottom half)
    /// → Store (DrDAM) → masked retrieval: the stored colour images come back (hidden-pixel error under a
    /// tenth of the occluded input's), and the whole chain reloads in a fresh process bit for bit.
    /// </summary>
    [Fact]
    public void ColourImagesAreRestoredAndThePipelineReloadsInAFreshProcess()
    {
        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(DrDam.ML.Tests.Samples.ImageFiles.WriteStripes(folder, 6, Size).Select(p => new ImageFile { Path = p }));
        const int d = 3 * Size * Size;
        var scale = (float)(1 / Math.Sqrt(d));
        var pixels = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "Path")
            .Append(ml.Transforms.ResizeImages("Image", Size, Size))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: scale / 255))
            .Append(ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Pixels",
                new OcclusionOptions { Kind = OcclusionKind.Bottom, Fraction = 0.5, Height = Size, Width = Size, Channels = 3 }));
        // One estimator chain: the store fits on the clean pixels and restores the occluded ones.
        var model = pixels.Append(ml.Transforms.AssociativeMemory.Store("Restored", "Pixels", "Occluded", "Visible", new MemoryStoreOptions
        {
            Memory = new DistributedMemoryOptions { Beta = 60, FeatureCount = 20_000, Seed = 5 },
            Retrieval = new RetrievalOptions { StepSize = 0.1, MaxSteps = 300 },
        })).Fit(files);
        var result = model.Transform(files);

        var truth = Columns.Vectors(result, "Pixels");
        var visible = Columns.Masks(result, "Visible");
        double Error(float[][] values) => values.SelectMany((v, r) => v.Select((x, i) => visible[r][i] ? 0 : Math.Pow(x - truth[r][i], 2))).Sum();
        Assert.True(Error(Columns.Vectors(result, "Restored")) < Error(Columns.Vectors(result, "Occluded")) / 10);

        var path = System.IO.Path.Combine(folder, "images.zip");
        ml.Model.Save(model, files.Schema, path);
        var again = FreshProcess.Apply(ml, path, files, folder);
        Assert.Equal(Columns.Vectors(result, "Restored"), Columns.Vectors(again, "Restored"));
        Assert.Equal(Columns.Values<double>(result, "RestoredEnergy"), Columns.Values<double>(again, "RestoredEnergy"));
    }
}
