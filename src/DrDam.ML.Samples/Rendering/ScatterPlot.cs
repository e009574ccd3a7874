using SkiaSharp;

namespace DrDam.ML.Samples.Rendering;

/// <summary>A PNG scatter of 2-D points coloured by group, drawn with SkiaSharp.</summary>
internal static class ScatterPlot
{
    private static readonly SKColor[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    public static void Save(string path, string title, IReadOnlyList<(double X, double Y)> points, IReadOnlyList<int> groups, int width = 640, int height = 520)
    {
        var (xMin, xMax) = (points.Min(p => p.X), points.Max(p => p.X));
        var (yMin, yMax) = (points.Min(p => p.Y), points.Max(p => p.Y));
        var area = SKRect.Create(30, 40, width - 60, height - 70);
        float Px(double x) => area.Left + (float)((x - xMin) / Math.Max(1e-12, xMax - xMin)) * area.Width;
        float Py(double y) => area.Bottom - (float)((y - yMin) / Math.Max(1e-12, yMax - yMin)) * area.Height;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        Fonts.Draw(canvas, title, width / 2f, 24, 15, SKColors.Black, SKTextAlign.Center);
        using (var frame = new SKPaint { Color = SKColors.Gray, IsStroke = true })
            canvas.DrawRect(area, frame);
        for (var i = 0; i < points.Count; i++)
        {
            using var dot = new SKPaint { Color = Palette[groups[i] % Palette.Length].WithAlpha(170), IsAntialias = true };
            canvas.DrawCircle(Px(points[i].X), Py(points[i].Y), 3, dot);
        }
        Fonts.Draw(canvas, "first two principal components", width / 2f, height - 10, 12, SKColors.Black, SKTextAlign.Center);
        Png.Save(surface, path);
    }
}
