using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Compute.Torch;

/// <summary>
/// MrDAM step as tensor operations: S = XΞᵀ, the energy's weights W and energy per row, M = WΞ,
/// ∇E = a·x − M (CosineDot projects it). The same formulas as the managed evaluator, in float32.
/// </summary>
internal sealed class TorchMemoryMatrixEvaluator : TorchEvaluator
{
    private readonly EnergyKind kind;
    private readonly Tensor patterns, patternsT, patternNorms, betaTensor, minusHalfBeta, minusTwo, zero, one, half, epsilon, one64, minusInverseBeta;

    public TorchMemoryMatrixEvaluator(MemoryMatrix memory, int maxBatch, Device device) : base(memory, maxBatch, device)
    {
        kind = memory.Options.Energy;
        var beta = memory.Beta;
        var k = memory.Count;
        patterns = Keep(torch.tensor(memory.Patterns.ToArray(), [k, Dimension], ScalarType.Float32));
        patternsT = Keep(patterns.t().contiguous());
        patternNorms = Keep(torch.tensor(memory.SquaredNorms.ToArray(), [1, k], ScalarType.Float32));
        betaTensor = Constant(beta);
        minusHalfBeta = Constant(-beta / 2);
        minusTwo = Constant(-2);
        zero = Constant(0);
        one = Constant(1);
        half = Constant(0.5);
        epsilon = Keep(torch.tensor(memory.Options.Epsilon, ScalarType.Float64));
        one64 = Keep(torch.tensor(1.0, ScalarType.Float64));
        minusInverseBeta = Keep(torch.tensor(-1 / beta, ScalarType.Float64));
    }

    protected override (Tensor Energies, Tensor Gradients) Step(Tensor x)
    {
        var dots = x.mm(patternsT);
        var squaredNorms = x.mul(x).sum(1, keepdim: true);
        switch (kind)
        {
            case EnergyKind.L2:
            {
                var (lse, p) = Softmax(minusHalfBeta.mul(SquaredDistances(dots, squaredNorms)));
                return (Energy(lse), x.add(p.mm(patterns), TorchScalars.MinusOne));
            }
            case EnergyKind.Dot:
            {
                var (lse, p) = Softmax(betaTensor.mul(dots));
                var energies = Energy(lse).add(half.mul(squaredNorms.squeeze(1)).to_type(ScalarType.Float64), TorchScalars.One);
                return (energies, x.add(p.mm(patterns), TorchScalars.MinusOne));
            }
            case EnergyKind.CosineDot:
            {
                // g(x) = x/‖x‖ (0 at x = 0); ∇E = −(m − x⟨x,m⟩/‖x‖²)/‖x‖
                var norms = squaredNorms.sqrt();
                var inverse = torch.where(norms.gt(zero), one.div(norms), torch.zeros_like(norms));
                var (lse, p) = Softmax(betaTensor.mul(dots).mul(inverse));
                var m = p.mm(patterns);
                var along = x.mul(m).sum(1, keepdim: true).mul(inverse).mul(inverse);
                return (Energy(lse), x.mul(along).add(m, TorchScalars.MinusOne).mul(inverse));
            }
            case EnergyKind.Epanechnikov:
            {
                // w_μ = max(0, 1 − β/2·‖x−ξ‖²); E = −log(ε + Σw)/β; weights 1[w>0]/total; a = inside/total
                var w = minusHalfBeta.mul(SquaredDistances(dots, squaredNorms)).add(one, TorchScalars.One).relu();
                var total = w.sum(1, keepdim: true, type: ScalarType.Float64).add(epsilon, TorchScalars.One);
                var inverse = one64.div(total).to_type(ScalarType.Float32);
                var inside = w.gt(zero).to_type(ScalarType.Float32);
                var energies = total.log().squeeze(1).mul(minusInverseBeta);
                var m = inside.mul(inverse).mm(patterns);
                return (energies, x.mul(inside.sum(1, keepdim: true).mul(inverse)).add(m, TorchScalars.MinusOne));
            }
            default:
                throw new InvalidOperationException($"Energy {kind} has no Torch implementation.");
        }
    }

    // ‖x‖² − 2⟨x,ξ⟩ + ‖ξ‖², clipped at 0 against rounding
    private Tensor SquaredDistances(Tensor dots, Tensor squaredNorms)
        => minusTwo.mul(dots).add(squaredNorms, TorchScalars.One).add(patternNorms, TorchScalars.One).relu();

    private static (Tensor LogSumExp, Tensor Probabilities) Softmax(Tensor logits)
    {
        var lse = logits.logsumexp(1, keepdim: true);
        return (lse, logits.add(lse, TorchScalars.MinusOne).exp());
    }

    private Tensor Energy(Tensor logSumExp) => logSumExp.squeeze(1).to_type(ScalarType.Float64).mul(minusInverseBeta);
}
