using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Samples;

/// <summary>Small colour PNGs for image tests: diagonal stripes, a different colour and period per image.</summary>
internal static class ImageFiles
{
    public static string[] WriteStripes(string folder, int count, int size)
    {
        var paths = new string[count];
        for (var n = 0; n < count; n++)
        {
            var bgra = new byte[size * size * 4];
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var at = 4 * (y * size + x);
                    var on = (x + y + n) % (2 + n % 3) == 0;
                    bgra[at] = (byte)(on ? 40 * n % 256 : 10);
                    bgra[at + 1] = (byte)(on ? 200 : 30 * n % 256);
                    bgra[at + 2] = (byte)(on ? 255 - 20 * n : 60);
                    bgra[at + 3] = 255;
                }
            using var image = MLImage.CreateFromPixels(size, size, MLPixelFormat.Bgra32, bgra);
            paths[n] = Path.Combine(folder, $"image{n:D2}.png");
            image.Save(paths[n]);
        }
        return paths;
    }
}
