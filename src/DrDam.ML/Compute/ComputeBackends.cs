using DrDam.ML.Compute.Ilgpu;
using DrDam.ML.Compute.Torch;
using DrDam.ML.Memory;

namespace DrDam.ML.Compute;

/// <summary>Creates a backend from its kind and device.</summary>
public static class ComputeBackends
{
    /// <summary>
    /// The backend of <paramref name="kind"/> on <paramref name="device"/>. Auto picks TorchSharp on CUDA,
    /// else ILGPU on CUDA, else the managed backend (the fastest CPU backend measured by <c>bench</c> on Zen 4 and Zen 5; see README).
    /// Backends that hold a device (ILGPU) are <see cref="IDisposable"/>.
    /// </summary>
    public static IComputeBackend Create(ComputeBackendKind kind, ComputeDevice device = ComputeDevice.Auto)
    {
        Guard.Defined(kind, nameof(kind));
        Guard.Defined(device, nameof(device));
        return kind switch
        {
            ComputeBackendKind.Managed => ManagedBackend.Instance,
            ComputeBackendKind.Torch => new TorchBackend(device),
            ComputeBackendKind.Ilgpu => new IlgpuBackend(device),
            _ when device == ComputeDevice.Cpu => ManagedBackend.Instance,
            _ when TorchCudaAvailable() => new TorchBackend(ComputeDevice.Cuda),
            _ when IlgpuBackend.CudaAvailable() => new IlgpuBackend(ComputeDevice.Cuda),
            _ when device == ComputeDevice.Cuda => throw new InvalidOperationException("device = Cuda, but neither TorchSharp nor ILGPU finds a CUDA device."),
            _ => ManagedBackend.Instance,
        };
    }

    private static bool TorchCudaAvailable()
    {
        try
        {
            Native.TorchSharpNative.EnsureLoaded();
            return TorchSharp.torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            return false; // no libtorch runtime in this application
        }
    }
}
