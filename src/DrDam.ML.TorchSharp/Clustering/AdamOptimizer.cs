using DrDam.ML.Compute.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// Adam (Kingma and Ba, 2015; β₁ = 0.9, β₂ = 0.999, ε = 1e-8) written with tensor-tensor arithmetic only.
/// TorchSharp 0.107's own <c>optim.Adam</c> builds implicit Scalars on every step, which its GC
/// finalizer can free mid-call: long ClAM runs here aborted in <c>Adam.step</c> with "Scalar.h" assertions
/// (see <see cref="TorchScalars"/>). Same update rule, no implicit Scalar.
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments, secondMoments;
    private readonly Tensor beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon;
    private int step;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        this.parameters = parameters.Where(p => p.requires_grad).ToArray();
        LearningRate = learningRate;
        firstMoments = this.parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        secondMoments = this.parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        var (type, device) = (this.parameters[0].dtype, this.parameters[0].device);
        Tensor Constant(double value) => torch.tensor(value, dtype: type, device: device).DetachFromDisposeScope();
        (beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon) = (Constant(Beta1), Constant(Beta2), Constant(1 - Beta1), Constant(1 - Beta2), Constant(Epsilon));
    }

    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var parameter in parameters)
            parameter.grad?.zero_();
    }

    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        step++;
        var (type, device) = (parameters[0].dtype, parameters[0].device);
        var stepSize = torch.tensor(-LearningRate / (1 - Math.Pow(Beta1, step)), dtype: type, device: device);
        var correction = torch.tensor(1 / Math.Sqrt(1 - Math.Pow(Beta2, step)), dtype: type, device: device);
        for (var i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].grad;
            if (gradient is null)
                continue;
            firstMoments[i].mul_(beta1).add_(gradient.mul(oneMinusBeta1), TorchScalars.One);
            secondMoments[i].mul_(beta2).add_(gradient.mul(gradient).mul(oneMinusBeta2), TorchScalars.One);
            var denominator = secondMoments[i].sqrt().mul(correction).add(epsilon, TorchScalars.One);
            parameters[i].add_(firstMoments[i].div(denominator).mul(stepSize), TorchScalars.One);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in firstMoments.Concat(secondMoments).Append(beta1).Append(beta2).Append(oneMinusBeta1).Append(oneMinusBeta2).Append(epsilon))
            tensor.Dispose();
    }
}
