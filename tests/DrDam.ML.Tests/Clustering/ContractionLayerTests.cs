using DrDam.ML.Clustering;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Tests.Clustering;

public class ContractionLayerTests
{
    private const int B = 6, D = 5, K = 4;

    public ContractionLayerTests() => TorchSharpNative.EnsureLoaded();

    [Fact]
    public void ForwardEqualsTheManagedDescent()
    {
        var random = new Random(1);
        var prototypes = Oracle.Uniform(random, K * D, -1, 1);
        var points = Oracle.Uniform(random, B * D, -1, 1);
        using var layer = new ContractionLayer(torch.tensor(prototypes, [K, D]), beta: 1.7, stepSize: 0.1, steps: 10);
        using var x = torch.tensor(points, [B, D]);
        using var contracted = layer.forward(x, torch.ones_like(x));
        var torchResult = contracted.data<float>().ToArray();

        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 1.7 });
        memory.AddRange(prototypes, K);
        var managed = memory.Retrieve(points, B, new RetrievalOptions { StepSize = 0.1, MaxSteps = 10, Tolerance = 0 });
        Assert.All(managed.Steps, s => Assert.Equal(10, s));
        for (var i = 0; i < torchResult.Length; i++)
            Assert.Equal(managed.States[i], torchResult[i], 1e-5);
    }

    /// <summary>The autograd gradient of the masked reconstruction loss with respect to ρ and β equals central differences (float64).</summary>
    [Fact]
    public void GradientMatchesFiniteDifference()
    {
        var random = new Random(2);
        var prototypes = Enumerable.Range(0, K * D).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var points = Enumerable.Range(0, B * D).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var maskValues = Enumerable.Range(0, B * D).Select(i => i % 3 == 0 ? 1.0 : 0.0).ToArray();
        double Loss(double[] rho, double beta, out ContractionLayer layer)
        {
            layer = new ContractionLayer(torch.tensor(rho, [K, D], ScalarType.Float64), beta, 0.1, 8, learnBeta: true);
            using var x = torch.tensor(points, [B, D], ScalarType.Float64);
            using var mask = torch.tensor(maskValues, [B, D], ScalarType.Float64);
            using var loss = (mask * (x - layer.forward(x, mask)).pow(2)).mean();
            loss.backward();
            return loss.item<double>();
        }
        Loss(prototypes, 1.3, out var trained);
        var gradient = trained.Prototypes.grad!.data<double>().ToArray();
        var betaGradient = trained.parameters().Single(p => p.numel() == 1).grad!.item<double>() / 1.3; // d/dβ = d/dlogβ / β
        const double h = 1e-6;
        for (var i = 0; i < K * D; i += 3)
        {
            var plus = (double[])prototypes.Clone();
            var minus = (double[])prototypes.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (Loss(plus, 1.3, out _) - Loss(minus, 1.3, out _)) / (2 * h);
            Assert.Equal(numeric, gradient[i], 1e-7);
        }
        var numericBeta = (Loss(prototypes, 1.3 + h, out _) - Loss(prototypes, 1.3 - h, out _)) / (2 * h);
        Assert.Equal(numericBeta, betaGradient, 1e-7);
    }

    /// <summary>
    /// Logit gaps of 50–150 (two prototypes, β = 200): without the floor, the gaps of 87–103 give subnormal weights.
    /// With it no weight is subnormal, and every weight above e^LogitFloor (MemoryMatrixEnergy) of its row's largest is the exact softmax's.
    /// </summary>
    [Fact]
    public void WeightsAreNeverSubnormalAndKeepTheSoftmax()
    {
        const int rows = 64;
        var gaps = Enumerable.Range(0, rows).Select(i => 50.0 + 100.0 * i / (rows - 1)).ToArray();
        using var layer = new ContractionLayer(torch.zeros(2, 1), beta: 200, stepSize: 0.1, steps: 1);
        using var logits = torch.tensor(gaps.SelectMany(g => new[] { 0.0, -g }).Select(v => (float)v).ToArray(), [rows, 2]);
        using var weights = layer.Weights(logits);
        var p = weights.data<float>().ToArray();
        Assert.Contains(gaps, g => g is > 88 and < 102); // the subnormal range of float32 is covered
        Assert.DoesNotContain(p, float.IsSubnormal);
        for (var i = 0; i < rows; i++)
        {
            var exact = 1 / (1 + Math.Exp(-gaps[i]));
            Assert.Equal(exact, p[2 * i], 1e-7);
            var expected = Math.Exp(Math.Max(-gaps[i], MemoryMatrixEnergy.LogitFloor)) * exact;
            Assert.InRange(p[2 * i + 1], expected * (1 - 1e-5), expected * (1 + 1e-5));
        }
    }
}
