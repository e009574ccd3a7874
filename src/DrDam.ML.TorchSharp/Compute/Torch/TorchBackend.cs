using DrDam.ML.Memory;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Compute.Torch;

/// <summary>
/// The batched MrDAM and DrDAM steps as libtorch tensor operations (TorchSharp), on the CPU or on
/// CUDA where a libtorch-cuda runtime and a GPU exist. The memory's patterns, or T and the whole of
/// Ω (4·Y·D bytes, regenerated from its seed once per evaluator), live on the device; each step
/// uploads the states and downloads energies and gradients.
/// </summary>
public sealed class TorchBackend : IComputeBackend
{
    /// <summary>Creates the backend on <paramref name="device"/> (Auto: CUDA when TorchSharp finds a GPU).</summary>
    /// <exception cref="InvalidOperationException">Cuda was asked for and TorchSharp finds no CUDA device.</exception>
    public TorchBackend(ComputeDevice device = ComputeDevice.Auto)
    {
        Guard.Defined(device, nameof(device));
        TorchSharpNative.EnsureLoaded();
        var cuda = torch.cuda.is_available();
        if (device == ComputeDevice.Cuda && !cuda)
            throw new InvalidOperationException("device = Cuda, but TorchSharp finds no CUDA device (reference a libtorch-cuda runtime package and check the driver).");
        Device = device == ComputeDevice.Cpu || !cuda ? CPU : CUDA;
    }

    /// <summary>Whether TorchSharp finds a CUDA device (false when the application has no libtorch runtime).</summary>
    public static bool CudaAvailable()
    {
        try
        {
            TorchSharpNative.EnsureLoaded();
            return torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or InvalidOperationException or TypeInitializationException)
        {
            return false;
        }
    }

    /// <summary>Where the tensors live.</summary>
    public Device Device { get; }

    /// <inheritdoc/>
    public string Name => Device.type == DeviceType.CUDA ? "torch-cuda" : "torch";

    /// <inheritdoc/>
    public IEnergyEvaluator CreateEvaluator(IAssociativeMemory memory, int maxBatch)
        => EvaluatorBase.Create(memory, maxBatch, m => new TorchMemoryMatrixEvaluator(m, maxBatch, Device), d => new TorchDistributedMemoryEvaluator(d, maxBatch, Device));
}
