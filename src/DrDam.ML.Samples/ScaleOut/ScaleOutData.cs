using DrDam.ML.Samples.Data;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>
/// The images of <c>scale-out</c>: the Fashion-MNIST training set from shared/data (60,000) to store and its test
/// set to query, or, where shared/data is absent, the embedded 1,000 split into stored and queried images.
/// Pixels are scaled to [0, 1].
/// </summary>
internal sealed record ScaleOutData(string Source, float[] Stored, int StoredRows, float[] Queries, int QueryRows, int Dimension, int Width)
{
    public static ScaleOutData Load(int? rows, int queries)
    {
        if (SampleData.FindShared("fashion-mnist/train-images-idx3-ubyte.gz") is { } train
            && SampleData.FindShared("fashion-mnist/t10k-images-idx3-ubyte.gz") is { } test)
        {
            var (stored, asked) = (IdxImages.Read(train, rows), IdxImages.Read(test, queries));
            return new("fashion-mnist train (shared/data)", Scale(stored.Pixels), stored.Count, Scale(asked.Pixels), asked.Count, stored.Dimension, stored.Width);
        }
        var embedded = IdxImages.Read(SampleData.FashionMnistImages);
        var q = Math.Min(queries, embedded.Count / 2);
        var n = Math.Min(rows ?? int.MaxValue, embedded.Count - q);
        var pixels = Scale(embedded.Pixels);
        var d = embedded.Dimension;
        return new("fashion-mnist embedded 1k (shared/data not found)", pixels[..(n * d)], n, pixels[((embedded.Count - q) * d)..], q, d, embedded.Width);
    }

    private static float[] Scale(byte[] pixels) => [.. pixels.Select(p => p / 255f)];
}
