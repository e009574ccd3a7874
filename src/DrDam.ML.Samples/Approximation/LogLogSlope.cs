namespace DrDam.ML.Samples.Approximation;

/// <summary>The least-squares slope of log y against log x: the exponent of a power law y ∝ x^slope.</summary>
internal static class LogLogSlope
{
    public static double Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 2)
            throw new ArgumentException($"A slope needs at least two (x, y) pairs of equal count (got {x.Count} and {y.Count}).");
        if (x.Concat(y).Any(v => !(v > 0)))
            throw new ArgumentException("A log–log slope needs positive values.");
        var lx = x.Select(v => Math.Log(v)).ToArray();
        var ly = y.Select(v => Math.Log(v)).ToArray();
        var (mx, my) = (lx.Average(), ly.Average());
        double covariance = 0, variance = 0;
        for (var i = 0; i < lx.Length; i++)
        {
            covariance += (lx[i] - mx) * (ly[i] - my);
            variance += (lx[i] - mx) * (lx[i] - mx);
        }
        return covariance / variance;
    }
}
