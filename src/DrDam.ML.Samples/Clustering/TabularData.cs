using System.Globalization;
using System.IO.Compression;
using DrDam.ML.Samples.Data;

namespace DrDam.ML.Samples.Clustering;

/// <summary>A table of numeric features with an optional label per row (used only for evaluation).</summary>
internal sealed record TabularData(float[][] Features, string[]? Labels, string Name)
{
    /// <summary>A CSV file with a header row; every column but the label column must be numeric.</summary>
    public static TabularData ReadCsv(string path, string? labelColumn)
    {
        if (Directory.Exists(path))
            throw new ArgumentException($"--data: '{path}' is a folder; give a CSV file.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"--data: file '{path}' does not exist.", path);
        try
        {
            return Parse(path, labelColumn);
        }
        catch (InvalidDataException e) when (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && !e.Message.StartsWith("--data", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"--data: '{path}' is not a valid gzip file ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private static TabularData Parse(string path, string? labelColumn)
    {
        using var file = File.OpenRead(path);
        using var reader = new StreamReader(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"--data: '{path}' is empty.")).Split(',');
        var labelIndex = labelColumn is null ? -1 : Array.IndexOf(header, labelColumn);
        if (labelColumn is not null && labelIndex < 0)
            throw new ArgumentException($"--label-column: '{labelColumn}' is not a column of '{path}' (columns: {string.Join(", ", header)}).");
        if (header.Length - (labelIndex < 0 ? 0 : 1) == 0)
            throw new InvalidDataException($"--data: '{path}' has no feature column, only the label column '{labelColumn}'.");
        var features = new List<float[]>();
        var labels = new List<string>();
        string? line;
        for (var row = 1; (line = reader.ReadLine()) is not null; row++)
        {
            if (line.Length == 0)
                continue;
            var cells = line.Split(',');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"--data: '{path}' row {row} has {cells.Length} cells, the header {header.Length}.");
            var values = new float[header.Length - (labelIndex < 0 ? 0 : 1)];
            for (int c = 0, f = 0; c < cells.Length; c++)
            {
                if (c == labelIndex)
                    continue;
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out values[f]) || !float.IsFinite(values[f]))
                    throw new InvalidDataException($"--data: '{path}' row {row}, column '{header[c]}': '{cells[c]}' is not a finite number.");
                f++;
            }
            features.Add(values);
            if (labelIndex >= 0)
                labels.Add(cells[labelIndex]);
        }
        if (features.Count == 0)
            throw new InvalidDataException($"--data: '{path}' has a header but no data rows.");
        return new TabularData(features.ToArray(), labelIndex < 0 ? null : labels.ToArray(), Path.GetFileName(path));
    }

    /// <summary>
    /// iris, digits or fashion-mnist from the embedded data/ folder. <paramref name="rows"/> (fashion-mnist only) takes
    /// the first rows of the embedded 1,000 test images, or above 1,000 of the 60,000 training images in shared/data.
    /// </summary>
    public static TabularData Dataset(string name, int? rows = null) => (name, rows) switch
    {
        (_, <= 0) => throw new ArgumentException($"--rows must be a positive integer (got {rows})."),
        ("fashion-mnist", _) => FashionMnist(rows),
        (_, not null) => throw new ArgumentException($"--rows applies to --dataset fashion-mnist only (got --dataset {name})."),
        ("iris", _) => ReadCsv(SampleData.Find("iris.csv"), "label") with { Name = "iris" },
        ("digits", _) => ReadCsv(SampleData.Find("digits.csv.gz"), "label") with { Name = "digits" },
        _ => throw new ArgumentException($"--dataset must be iris, digits or fashion-mnist (got '{name}')."),
    };

    /// <summary>The Fashion-MNIST training images kept beside the repository.</summary>
    public const string SharedFashionImages = "fashion-mnist/train-images-idx3-ubyte.gz";

    private static TabularData FashionMnist(int? rows)
    {
        var (imagePath, labelPath) = (SampleData.FashionMnistImages, SampleData.FashionMnistLabels);
        if (rows > 1000)
        {
            imagePath = SampleData.FindShared(SharedFashionImages)
                ?? throw new FileNotFoundException($"--rows {rows} needs the 60,000 training images, shared/data/{SharedFashionImages}, which was not found above the program or the working folder (the embedded set has 1,000).");
            labelPath = SampleData.FindShared("fashion-mnist/train-labels-idx1-ubyte.gz")
                ?? throw new FileNotFoundException("shared/data/fashion-mnist/train-labels-idx1-ubyte.gz was not found beside the training images.");
        }
        var images = IdxImages.Read(imagePath, rows);
        var labels = IdxImages.ReadLabels(labelPath, images.Count);
        var features = Enumerable.Range(0, images.Count)
            .Select(n => images.Pixels.AsSpan(n * images.Dimension, images.Dimension).ToArray().Select(p => p / 255f).ToArray()).ToArray();
        return new TabularData(features, labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray(), images.Count > 1000 ? $"fashion-mnist-{images.Count}" : "fashion-mnist");
    }
}
