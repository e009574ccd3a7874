using SkiaSharp;

namespace DrDam.ML.Samples.Rendering;

/// <summary>A PNG grid of images: one labelled row per stage (original, corrupted, MrDAM, DrDAM), one column per image.</summary>
internal static class ImageGrid
{
    /// <summary>Writes the grid; each image is RGB bytes (height×width×3, row-major), scaled up to cells of at least 56 pixels.</summary>
    public static void Save(string path, IReadOnlyList<(string Label, IReadOnlyList<byte[]> Images)> rows, int width, int height)
    {
        var zoom = Math.Max(1, (int)Math.Ceiling(56.0 / Math.Max(width, height)));
        var (cellW, cellH, gap, labelW) = (width * zoom, height * zoom, 4, 120);
        var columns = rows.Max(r => r.Images.Count);
        var info = new SKImageInfo(labelW + columns * (cellW + gap) + gap, rows.Count * (cellH + gap) + gap);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        for (var r = 0; r < rows.Count; r++)
        {
            var top = gap + r * (cellH + gap);
            Fonts.Draw(canvas, rows[r].Label, 8, top + cellH / 2f + 5, 15, SKColors.Black);
            for (var c = 0; c < rows[r].Images.Count; c++)
            {
                using var bitmap = ToBitmap(rows[r].Images[c], width, height);
                var target = SKRect.Create(labelW + gap + c * (cellW + gap), top, cellW, cellH);
                using var paint = new SKPaint { FilterQuality = SKFilterQuality.None };
                canvas.DrawBitmap(bitmap, target, paint);
            }
        }
        Png.Save(surface, path);
    }

    private static SKBitmap ToBitmap(byte[] rgb, int width, int height)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var i = 3 * (y * width + x);
                bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        return bitmap;
    }
}

/// <summary>PNG encoding of a finished surface.</summary>
internal static class Png
{
    public static void Save(SKSurface surface, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
