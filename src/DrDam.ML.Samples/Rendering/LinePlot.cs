using System.Globalization;
using SkiaSharp;

namespace DrDam.ML.Samples.Rendering;

/// <summary>A small line chart rendered with SkiaSharp: axes with round ticks, optional log-scale y, legend.</summary>
internal sealed class LinePlot(string title, string xLabel, string yLabel)
{
    private static readonly SKColor[] Palette = [new(31, 119, 180), new(214, 39, 40), new(44, 160, 44), new(148, 103, 189), new(255, 127, 14), new(23, 190, 207)];
    private readonly List<(string Name, double[] X, double[] Y)> series = [];

    /// <summary>Plots y on a log₁₀ axis (non-positive values are dropped).</summary>
    public bool LogY { get; init; }

    public LinePlot Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        series.Add((name, x.ToArray(), y.ToArray()));
        return this;
    }

    public void Save(string path, int width = 720, int height = 440)
    {
        var points = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.Second) && (!LogY || p.Second > 0)).ToList();
        if (points.Count == 0)
            throw new InvalidOperationException($"Nothing to plot in '{title}'.");
        double Y(double v) => LogY ? Math.Log10(v) : v;
        var (xMin, xMax) = Range(points.Select(p => p.First));
        var (yMin, yMax) = Range(points.Select(p => Y(p.Second)));
        var area = SKRect.Create(78, 40, width - 78 - 170, height - 40 - 56);
        float Px(double x) => area.Left + (float)((x - xMin) / (xMax - xMin)) * area.Width;
        float Py(double y) => area.Bottom - (float)((Y(y) - yMin) / (yMax - yMin)) * area.Height;

        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, IsStroke = true, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, IsStroke = true };
        foreach (var t in Ticks(xMin, xMax))
        {
            canvas.DrawLine(Px(t), area.Top, Px(t), area.Bottom, grid);
            Fonts.Draw(canvas, Format(t), Px(t), area.Bottom + 16, 11, SKColors.Black, SKTextAlign.Center);
        }
        foreach (var t in Ticks(yMin, yMax))
        {
            var y = area.Bottom - (float)((t - yMin) / (yMax - yMin)) * area.Height;
            canvas.DrawLine(area.Left, y, area.Right, y, grid);
            Fonts.Draw(canvas, LogY ? "1e" + Format(t) : Format(t), area.Left - 6, y + 4, 11, SKColors.Black, SKTextAlign.Right);
        }
        canvas.DrawRect(area, axis);
        Fonts.Draw(canvas, title, width / 2f, 24, 15, SKColors.Black, SKTextAlign.Center);
        Fonts.Draw(canvas, xLabel, area.MidX, height - 18, 12, SKColors.Black, SKTextAlign.Center);
        canvas.Save();
        canvas.RotateDegrees(-90, 16, area.MidY);
        Fonts.Draw(canvas, yLabel + (LogY ? " (log scale)" : ""), 16, area.MidY, 12, SKColors.Black, SKTextAlign.Center);
        canvas.Restore();
        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            using var line = new SKPaint { Color = color, StrokeWidth = 2, IsStroke = true, IsAntialias = true };
            using var pathLine = new SKPath();
            var started = false;
            for (var i = 0; i < series[s].X.Length; i++)
            {
                var (x, y) = (series[s].X[i], series[s].Y[i]);
                if (!double.IsFinite(y) || (LogY && y <= 0))
                    continue;
                if (!started)
                    pathLine.MoveTo(Px(x), Py(y));
                else
                    pathLine.LineTo(Px(x), Py(y));
                started = true;
            }
            canvas.Save();
            canvas.ClipRect(area);
            canvas.DrawPath(pathLine, line);
            canvas.Restore();
            var legendY = area.Top + 14 + 18 * s;
            canvas.DrawLine(area.Right + 12, legendY - 4, area.Right + 32, legendY - 4, line);
            Fonts.Draw(canvas, series[s].Name, area.Right + 38, legendY, 11, SKColors.Black);
        }
        Png.Save(surface, path);
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (min, max) = (list.Min(), list.Max());
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
            (min, max) = (min - 0.5, max + 0.5);
        return (min, max);
    }

    private static IEnumerable<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(min / step) * step; t <= max + 1e-9 * step; t += step)
            yield return Math.Abs(t) < 1e-12 * step ? 0 : t;
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
