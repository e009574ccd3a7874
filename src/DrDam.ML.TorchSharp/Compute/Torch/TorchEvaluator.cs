using DrDam.ML.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Compute.Torch;

/// <summary>
/// The shared part of the Torch evaluators: states go up through one host tensor, the subclass
/// computes E and ∇E as device tensors (no autograd, every temporary freed per call), and the
/// results come back through host tensors. The host tensors share the memory of pinned .NET arrays
/// allocated once, so crossing between spans and libtorch is a plain memory copy (TorchSharp's
/// element accessor takes ~5 ms per 3 MB).
/// </summary>
internal abstract class TorchEvaluator : EvaluatorBase
{
    private readonly float[] states, gradients;
    private readonly double[] energies;
    private readonly Tensor hostStates, hostEnergies, hostGradients;
    private readonly List<IDisposable> owned = [];

    protected TorchEvaluator(IAssociativeMemory memory, int maxBatch, Device device) : base(memory, maxBatch)
    {
        Device = device;
        states = GC.AllocateArray<float>(maxBatch * Dimension, pinned: true);
        energies = GC.AllocateArray<double>(maxBatch, pinned: true);
        gradients = GC.AllocateArray<float>(maxBatch * Dimension, pinned: true);
        hostStates = Shared(states, [maxBatch, Dimension]);
        hostEnergies = torch.from_array(energies);
        hostGradients = Shared(gradients, [maxBatch, Dimension]);
    }

    private static Tensor Shared(float[] array, long[] shape)
    {
        using var flat = torch.from_array(array);
        return flat.view(shape);
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

    protected sealed override void EvaluateCore(ReadOnlySpan<float> input, int rows, Span<double> energyOut, Span<float> gradientOut)
    {
        var length = rows * Dimension;
        input[..length].CopyTo(states);
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            var x = hostStates.narrow(0, 0, rows).to(Device);
            var (e, g) = Step(x);
            hostEnergies.narrow(0, 0, rows).copy_(e);
            hostGradients.narrow(0, 0, rows).copy_(g);
        }
        energies.AsSpan(0, rows).CopyTo(energyOut);
        gradients.AsSpan(0, length).CopyTo(gradientOut);
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
