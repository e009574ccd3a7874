using DrDam.ML.Samples.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Samples.Imaging;

/// <summary>The images a job stores: a folder of image files, or the embedded Fashion-MNIST subset, as an "Image" column.</summary>
internal static class ImageSource
{
    public const string ImageColumn = "Image";

    private sealed class FileRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class PixelRow
    {
        public float[] Raw { get; set; } = [];
    }

    /// <summary>Loads up to <paramref name="count"/> images; returns the data and the images' native size.</summary>
    public static (IDataView Images, int Width, int Height, int Count) Load(MLContext ml, string? folder, int count, bool tint)
        => folder is null ? FashionMnist(ml, count, tint) : Folder(ml, folder, count);

    private static (IDataView, int, int, int) Folder(MLContext ml, string folder, int count)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"--images: folder '{folder}' does not exist.");
        var files = Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).Take(count).ToList();
        if (files.Count == 0)
            throw new ArgumentException($"--images: folder '{folder}' holds no files.");
        var (width, height) = (0, 0);
        foreach (var file in files)
        {
            var (w, h) = Decode(file);
            if (width == 0)
                (width, height) = (w, h);
        }
        var paths = ml.Data.LoadFromEnumerable(files.Select(f => new FileRow { Path = Path.GetFullPath(f) }));
        var images = ml.Transforms.LoadImages(ImageColumn, imageFolder: null, inputColumnName: nameof(FileRow.Path)).Fit(paths).Transform(paths);
        return (images, width, height, files.Count);
    }

    // Decodes the whole file, so that a truncated or damaged image is refused instead of stored half black.
    private static (int Width, int Height) Decode(string file)
    {
        using var codec = SkiaSharp.SKCodec.Create(file, out var opened);
        if (codec is null)
            throw new InvalidDataException($"--images: '{file}' is not an image file that can be decoded ({opened}).");
        using var bitmap = new SkiaSharp.SKBitmap(codec.Info);
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SkiaSharp.SKCodecResult.Success)
            throw new InvalidDataException($"--images: '{file}' is damaged or truncated ({result}: only part of it decodes).");
        return (codec.Info.Width, codec.Info.Height);
    }

    // Fashion-MNIST is grey; with tint, image n is coloured by one of six hues so the colour path has colour to restore.
    private static (IDataView, int, int, int) FashionMnist(MLContext ml, int count, bool tint)
    {
        var idx = IdxImages.Read(SampleData.FashionMnistImages, count);
        (float R, float G, float B)[] hues = [(1, 0.55f, 0.2f), (0.25f, 0.6f, 1), (0.4f, 1, 0.4f), (1, 0.3f, 0.6f), (0.9f, 0.9f, 0.3f), (0.6f, 0.4f, 1)];
        var d = idx.Dimension;
        var rows = Enumerable.Range(0, idx.Count).Select(n =>
        {
            var hue = tint ? hues[n % hues.Length] : (1f, 1f, 1f);
            var raw = new float[3 * d];
            for (var i = 0; i < d; i++)
            {
                var v = idx.Pixels[n * d + i];
                (raw[i], raw[d + i], raw[2 * d + i]) = (v * hue.Item1, v * hue.Item2, v * hue.Item3);
            }
            return new PixelRow { Raw = raw };
        });
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Raw)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * d);
        var pixels = ml.Data.LoadFromEnumerable(rows, schema);
        var images = ml.Transforms.ConvertToImage(idx.Height, idx.Width, ImageColumn, nameof(PixelRow.Raw)).Fit(pixels).Transform(pixels);
        return (images, idx.Width, idx.Height, idx.Count);
    }
}
