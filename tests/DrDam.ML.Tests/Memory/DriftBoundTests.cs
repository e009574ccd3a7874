using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;

namespace DrDam.ML.Tests.Memory;

public class DriftBoundTests
{
    /// <summary>
    /// C₁ is measured, not assumed: the largest kernel error |k̂ − k| over the stored patterns and queries, divided
    /// by √(D/Y). At the step size of the closed form (η = C₂/(L·B)) the bound is informative: it must cover the
    /// observed distance between the MrDAM and DrDAM outputs after L steps from the same query, and lie within three
    /// orders of magnitude of it, so that a DrDAM drifting more than the theorem allows fails here. (At a practical
    /// step size the bound is 10⁶³ or more against drifts of 10⁻³, and no such test could fail.)
    /// </summary>
    [Theory]
    [InlineData(8, 5, 1.0, 2000)]
    [InlineData(16, 4, 2.0, 4000)]
    [InlineData(8, 10, 1.5, 8000)]
    public void BoundCoversTheObservedDriftAndIsInformativeAtTheCriticalStepSize(int d, int k, double beta, int y)
    {
        var random = new Random(d + k + y);
        var patterns = Oracle.Binary(random, k, d);
        var queries = Oracle.Uniform(random, 5 * d, 0, 1 / Math.Sqrt(d));
        var exact = new MemoryMatrix(d, new MemoryMatrixOptions { Beta = beta });
        exact.AddRange(patterns, k);
        var approx = new DistributedMemory(d, new DistributedMemoryOptions { Beta = beta, FeatureCount = y, Seed = 5 });
        approx.AddRange(patterns, k);
        var c1 = MaxKernelError(approx, patterns, queries, d) / Math.Sqrt((double)d / y);
        const int steps = 10;
        const double c2 = 0.5;
        var options = new RetrievalOptions { StepSize = DriftBound.CriticalStepSize(c2, steps, k, beta), MaxSteps = steps, Tolerance = 0 };
        var mr = exact.Retrieve(queries, 5, options);
        var dr = approx.Retrieve(queries, 5, options);
        var (initial, _) = exact.EnergyAndGradient(queries, 5);
        for (var q = 0; q < 5; q++)
        {
            var observed = Oracle.Distance(mr.State(q), dr.State(q));
            var bound = DriftBound.Evaluate(beta, k, d, y, options.StepSize, options.MaxSteps, initial[q], c1);
            Assert.True(bound >= observed, $"bound {bound} < observed {observed}");
            Assert.True(bound <= 1000 * Math.Max(observed, 1e-9), $"bound {bound} is not informative against the observed {observed}");
        }
    }

    [Fact]
    public void ClosedFormAtCriticalStepSizeMatchesGeneralForm()
    {
        const double beta = 3, c1 = 0.7, c2 = 0.5, energy = -0.2;
        const int k = 10, d = 16, y = 1000, steps = 40;
        var eta = DriftBound.CriticalStepSize(c2, steps, k, beta);
        var general = DriftBound.Evaluate(beta, k, d, y, eta, steps, energy, c1);
        var closed = DriftBound.AtCriticalStepSize(beta, d, y, energy, c1, c2);
        // They differ only by B/(B − 1) and (1 − C₂^L), both within 1% here.
        Assert.Equal(1, general / closed, 0.01);
    }

    [Fact]
    public void BoundGrowsWithBetaAndShrinksLikeInverseSquareRootOfY()
    {
        double At(double beta, int y) => DriftBound.Evaluate(beta, 10, 16, y, 1e-4, 10, -0.1, 1);
        Assert.True(At(20, 1000) > At(10, 1000));
        Assert.Equal(2, At(10, 1000) / At(10, 4000), 1e-9);
        Assert.Equal("c2", Assert.Throws<ArgumentOutOfRangeException>(() => DriftBound.CriticalStepSize(1.5, 10, 10, 1)).ParamName);
        Assert.Equal("featureCount", Assert.Throws<ArgumentOutOfRangeException>(() => At(1, 0)).ParamName);
    }

    private static double MaxKernelError(DistributedMemory memory, float[] patterns, float[] queries, int d)
    {
        var points = patterns.Concat(queries).ToArray();
        var n = points.Length / d;
        var features = new float[n][];
        for (var i = 0; i < n; i++)
        {
            features[i] = new float[memory.Features.FeatureLength];
            memory.Features.Map(points.AsSpan(i * d, d), features[i]);
        }
        var worst = 0.0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var estimate = Oracle.Dot(Oracle.ToDouble(features[i]), features[j]);
                var distance = Oracle.Distance(points.AsSpan(i * d, d), points.AsSpan(j * d, d));
                worst = Math.Max(worst, Math.Abs(estimate - Math.Exp(-memory.Beta / 2 * distance * distance)));
            }
        return worst;
    }
}
