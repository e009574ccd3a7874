using System.Buffers.Binary;
using System.IO.Compression;

namespace DrDam.ML.Samples.Data;

/// <summary>Grey images from an IDX file (the MNIST / Fashion-MNIST format), gzip or raw.</summary>
public sealed record IdxImages(int Count, int Height, int Width, byte[] Pixels)
{
    /// <summary>Pixels per image.</summary>
    public int Dimension => Height * Width;

    /// <summary>Reads the first <paramref name="count"/> images (all when null).</summary>
    public static IdxImages Read(string path, int? count = null)
    {
        using var stream = Open(path);
        Span<byte> header = stackalloc byte[16];
        stream.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != 0x803)
            throw new InvalidDataException($"{path} is not an IDX image file (magic 0x{BinaryPrimitives.ReadInt32BigEndian(header):X}, expected 0x803).");
        var available = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        var height = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        var width = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        var n = Math.Min(count ?? available, available);
        var pixels = new byte[n * height * width];
        stream.ReadExactly(pixels);
        return new IdxImages(n, height, width, pixels);
    }

    /// <summary>The first <paramref name="count"/> labels of an IDX label file (magic 0x801).</summary>
    public static byte[] ReadLabels(string path, int count)
    {
        using var stream = Open(path);
        Span<byte> header = stackalloc byte[8];
        stream.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != 0x801)
            throw new InvalidDataException($"{path} is not an IDX label file.");
        var labels = new byte[Math.Min(count, BinaryPrimitives.ReadInt32BigEndian(header[4..]))];
        stream.ReadExactly(labels);
        return labels;
    }

    // The file itself, or its decompressed content when it ends in .gz.
    private static Stream Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
