using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// ClAM's contraction f_ρ (CLUSTERING.md): T unrolled steps of gradient descent with step α on the L2
/// energy whose memories are the k prototypes ρ,
/// v ← v + α·m ⊙ Σ_μ softmax_μ(−β/2·‖v − ρ^μ‖²)·(ρ^μ − v), differentiable with respect to ρ (and β
/// when created with learnBeta). Distances use ‖v‖² − 2vρᵀ + ‖ρ‖² (matrix products, no B×k×d
/// tensor) and the softmax subtracts its maximum. Runs on the device of its parameters.
/// </summary>
public sealed class ContractionLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter prototypes;
    private readonly Parameter logBeta;
    private readonly double stepSize;
    private readonly int steps;

    /// <summary>Creates the layer from initial prototypes (k×d).</summary>
    public ContractionLayer(Tensor initialPrototypes, double beta, double stepSize, int steps, bool learnBeta = false) : base(nameof(ContractionLayer))
    {
        ArgumentNullException.ThrowIfNull(initialPrototypes);
        if (initialPrototypes.dim() != 2)
            throw new ArgumentException($"initialPrototypes must be k×d (got {initialPrototypes.dim()} dimensions).", nameof(initialPrototypes));
        prototypes = new Parameter(initialPrototypes.detach().clone());
        logBeta = new Parameter(torch.tensor(Math.Log(Memory.Guard.Positive(beta, nameof(beta))), dtype: initialPrototypes.dtype, device: initialPrototypes.device), requires_grad: learnBeta);
        this.stepSize = Memory.Guard.Positive(stepSize, nameof(stepSize));
        this.steps = Memory.Guard.Positive(steps, nameof(steps));
        RegisterComponents();
    }

    /// <summary>ρ, the prototypes (k×d).</summary>
    public Parameter Prototypes => prototypes;

    /// <summary>β (learned when the layer was created with learnBeta).</summary>
    public double Beta => Math.Exp(logBeta.item<double>());

    /// <summary>Contracts a batch <paramref name="x"/> (B×d); only coordinates where <paramref name="mask"/> is 1 move.</summary>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        var beta = logBeta.exp();
        var rho = prototypes;
        var rhoNorms = rho.pow(2).sum(1).unsqueeze(0); // 1×k
        var v = x;
        for (var t = 0; t < steps; t++)
        {
            var distances = v.pow(2).sum(1, keepdim: true) - 2 * v.matmul(rho.t()) + rhoNorms; // B×k
            var p = nn.functional.softmax(-0.5 * beta * distances, dim: 1);
            v = v + stepSize * mask * (p.matmul(rho) - v); // Σ p_μ(ρ^μ − v) = pρ − v since Σ p = 1
        }
        return v;
    }
}
