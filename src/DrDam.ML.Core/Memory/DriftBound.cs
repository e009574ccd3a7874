namespace DrDam.ML.Memory;

/// <summary>
/// Theorem 2 of the paper (docs/MATH.md §4): how far DrDAM's output x̂⁽ᴸ⁾ can drift from MrDAM's x⁽ᴸ⁾
/// for memories and queries in [0, 1/√D]^D and a kernel error at most C₁·√(D/Y).
/// </summary>
public static class DriftBound
{
    /// <summary>B = 1 + 2Kβ·e^{β/2}, the Lipschitz-type constant of the theorem.</summary>
    public static double LipschitzConstant(double beta, long storedCount)
        => 1 + 2 * storedCount * Guard.Positive(beta, nameof(beta)) * Math.Exp(beta / 2);

    /// <summary>
    /// 2ηL·C₁·K·e^{βE(x)}·√(D/Y)·(1 − (ηL·B)^L)/(1 − ηL·B), evaluated in log space; +∞ when the
    /// bound is vacuous beyond double range.
    /// </summary>
    /// <param name="beta">β.</param>
    /// <param name="storedCount">K.</param>
    /// <param name="dimension">D.</param>
    /// <param name="featureCount">Y.</param>
    /// <param name="stepSize">η.</param>
    /// <param name="steps">L.</param>
    /// <param name="initialEnergy">E(x), MrDAM's energy at the query.</param>
    /// <param name="kernelErrorConstant">C₁, with kernel error ≤ C₁·√(D/Y).</param>
    public static double Evaluate(double beta, long storedCount, int dimension, int featureCount,
        double stepSize, int steps, double initialEnergy, double kernelErrorConstant)
    {
        Guard.Positive(beta, nameof(beta));
        Guard.Positive(storedCount, nameof(storedCount));
        Guard.Positive(dimension, nameof(dimension));
        Guard.Positive(featureCount, nameof(featureCount));
        Guard.Positive(stepSize, nameof(stepSize));
        Guard.Positive(steps, nameof(steps));
        Guard.Positive(kernelErrorConstant, nameof(kernelErrorConstant));
        if (!double.IsFinite(initialEnergy))
            throw new ArgumentOutOfRangeException(nameof(initialEnergy), initialEnergy, "initialEnergy must be finite.");
        var ratio = stepSize * steps * LipschitzConstant(beta, storedCount);
        var logBound = Math.Log(2 * stepSize * steps * kernelErrorConstant * storedCount)
            + beta * initialEnergy + 0.5 * Math.Log((double)dimension / featureCount)
            + LogGeometricSum(ratio, steps);
        return Math.Exp(logBound);
    }

    /// <summary>η = C₂/(L·B), the step size under which the bound takes its closed form.</summary>
    public static double CriticalStepSize(double c2, int steps, long storedCount, double beta)
    {
        if (!(c2 > 0 && c2 < 1))
            throw new ArgumentOutOfRangeException(nameof(c2), c2, "c2 must lie in (0, 1).");
        return c2 / (Guard.Positive(steps, nameof(steps)) * LipschitzConstant(beta, storedCount));
    }

    /// <summary>C₁C₂·e^{β(E(x) − 1/2)}·√(D/Y) / (β(1 − C₂)): the bound at η = C₂/(L·B).</summary>
    public static double AtCriticalStepSize(double beta, int dimension, int featureCount, double initialEnergy, double kernelErrorConstant, double c2)
    {
        if (!(c2 > 0 && c2 < 1))
            throw new ArgumentOutOfRangeException(nameof(c2), c2, "c2 must lie in (0, 1).");
        Guard.Positive(beta, nameof(beta));
        return kernelErrorConstant * c2 * Math.Exp(beta * (initialEnergy - 0.5))
            * Math.Sqrt((double)Guard.Positive(dimension, nameof(dimension)) / Guard.Positive(featureCount, nameof(featureCount)))
            / (beta * (1 - c2));
    }

    // log Σ_{i<L} r^i, stable for r far above or below 1.
    private static double LogGeometricSum(double r, int steps)
    {
        if (Math.Abs(r - 1) < 1e-12)
            return Math.Log(steps);
        if (r < 1)
            return Math.Log((1 - Math.Pow(r, steps)) / (1 - r));
        return (steps - 1) * Math.Log(r) + Math.Log((1 - Math.Pow(r, -steps)) / (1 - 1 / r));
    }
}
