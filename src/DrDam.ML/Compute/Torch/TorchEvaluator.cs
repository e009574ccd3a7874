using DrDam.ML.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Compute.Torch;

/// <summary>
/// The shared part of the Torch evaluators: states go up through one pinned host tensor, the
/// subclass computes E and ∇E as device tensors (no autograd, every temporary freed per call), and
/// the results come back through host tensors allocated once.
/// </summary>
internal abstract class TorchEvaluator : EvaluatorBase
{
    private readonly Tensor hostStates, hostEnergies, hostGradients;
    private readonly List<IDisposable> owned = [];

    protected TorchEvaluator(IAssociativeMemory memory, int maxBatch, Device device) : base(memory, maxBatch)
    {
        Device = device;
        hostStates = torch.zeros([maxBatch, Dimension], ScalarType.Float32);
        hostEnergies = torch.zeros([maxBatch], ScalarType.Float64);
        hostGradients = torch.zeros([maxBatch, Dimension], ScalarType.Float32);
    }

    protected Device Device { get; }

    /// <summary>A constant kept on the device for the evaluator's life (freed on Dispose).</summary>
    protected Tensor Keep(Tensor tensor)
    {
        var moved = tensor.to(Device);
        if (!ReferenceEquals(moved, tensor))
            tensor.Dispose();
        owned.Add(moved);
        return moved;
    }

    /// <summary>A 0-d float constant on the device.</summary>
    protected Tensor Constant(double value) => Keep(torch.tensor(value, ScalarType.Float32));

    /// <summary>E (float64, rows) and ∇E (rows×D) of the states <paramref name="x"/> (rows×D, on the device).</summary>
    protected abstract (Tensor Energies, Tensor Gradients) Step(Tensor x);

    protected sealed override void EvaluateCore(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
    {
        var d = Dimension;
        using (var input = hostStates.data<float>())
            input.CopyFrom(states, 0, 0);
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            var x = hostStates.narrow(0, 0, rows).to(Device);
            var (e, g) = Step(x);
            hostEnergies.narrow(0, 0, rows).copy_(e);
            hostGradients.narrow(0, 0, rows).copy_(g);
        }
        using (var output = hostEnergies.data<double>())
            output.CopyTo(energies[..rows], 0, 0);
        using (var output = hostGradients.data<float>())
            output.CopyTo(gradients[..(rows * d)], 0, 0);
    }

    public override void Dispose()
    {
        foreach (var tensor in owned)
            tensor.Dispose();
        hostStates.Dispose();
        hostEnergies.Dispose();
        hostGradients.Dispose();
        base.Dispose();
    }
}
