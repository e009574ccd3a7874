using System.Globalization;
using SkiaSharp;

namespace DrDam.ML.Samples.Rendering;

/// <summary>A small line chart rendered with SkiaSharp: axes with round ticks, optional log-scale y, legend.</summary>
internal sealed class LinePlot(string title, string xLabel, string yLabel)
{
    private static readonly SKColor[] Palette = [new(31, 119, 180), new(214, 39, 40), new(44, 160, 44), new(148, 103, 189), new(255, 127, 14), new(23, 190, 207)];
    private static readonly float[][] Dashes = [[], [7, 4], [2, 3], [10, 3, 2, 3]];
    private readonly List<Series> series = [];

    /// <summary>Plots y on a log₁₀ axis (non-positive values are dropped).</summary>
    public bool LogY { get; init; }

    /// <summary>Adds a line; <paramref name="color"/> and <paramref name="dash"/> index the palette and dash patterns (by default, the series' position and solid).</summary>
    public LinePlot Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, int? color = null, int dash = 0)
    {
        series.Add(new Series(name, x.ToArray(), y.ToArray(), Palette[(color ?? series.Count) % Palette.Length], Dashes[dash % Dashes.Length]));
        return this;
    }

    public void Save(string path, int width = 720, int height = 440) => PlotPanels.Save(path, [this], width, height);

    /// <summary>Draws the chart into <paramref name="bounds"/> of <paramref name="canvas"/>.</summary>
    public void Draw(SKCanvas canvas, SKRect bounds)
    {
        var points = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.Second) && (!LogY || p.Second > 0)).ToList();
        if (points.Count == 0)
            throw new InvalidOperationException($"Nothing to plot in '{title}'.");
        double Y(double v) => LogY ? Math.Log10(v) : v;
        var (xMin, xMax) = Range(points.Select(p => p.First));
        var (yMin, yMax) = Range(points.Select(p => Y(p.Second)));
        var area = SKRect.Create(bounds.Left + 78, bounds.Top + 40, bounds.Width - 78 - 170, bounds.Height - 40 - 56);
        float Px(double x) => area.Left + (float)((x - xMin) / (xMax - xMin)) * area.Width;
        float Py(double y) => area.Bottom - (float)((Y(y) - yMin) / (yMax - yMin)) * area.Height;

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
            Fonts.Draw(canvas, Format(LogY ? Math.Pow(10, t) : t), area.Left - 6, y + 4, 11, SKColors.Black, SKTextAlign.Right);
        }
        canvas.DrawRect(area, axis);
        Fonts.Draw(canvas, title, bounds.MidX, bounds.Top + 24, 15, SKColors.Black, SKTextAlign.Center);
        Fonts.Draw(canvas, xLabel, area.MidX, bounds.Bottom - 18, 12, SKColors.Black, SKTextAlign.Center);
        canvas.Save();
        canvas.RotateDegrees(-90, bounds.Left + 16, area.MidY);
        Fonts.Draw(canvas, yLabel + (LogY ? " (log scale)" : ""), bounds.Left + 16, area.MidY, 12, SKColors.Black, SKTextAlign.Center);
        canvas.Restore();
        for (var s = 0; s < series.Count; s++)
        {
            var line = series[s];
            using var dash = line.Dash.Length == 0 ? null : SKPathEffect.CreateDash(line.Dash, 0);
            using var paint = new SKPaint { Color = line.Color, StrokeWidth = 2, IsStroke = true, IsAntialias = true, PathEffect = dash };
            using var path = new SKPath();
            var started = false;
            for (var i = 0; i < line.X.Length; i++)
            {
                var (x, y) = (line.X[i], line.Y[i]);
                if (!double.IsFinite(y) || (LogY && y <= 0))
                    continue;
                if (!started)
                    path.MoveTo(Px(x), Py(y));
                else
                    path.LineTo(Px(x), Py(y));
                started = true;
            }
            canvas.Save();
            canvas.ClipRect(area);
            canvas.DrawPath(path, paint);
            canvas.Restore();
            var legendY = area.Top + 14 + 18 * s;
            canvas.DrawLine(area.Right + 12, legendY - 4, area.Right + 32, legendY - 4, paint);
            Fonts.Draw(canvas, line.Name, area.Right + 38, legendY, 11, SKColors.Black);
        }
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

    private sealed record Series(string Name, double[] X, double[] Y, SKColor Color, float[] Dash);
}
