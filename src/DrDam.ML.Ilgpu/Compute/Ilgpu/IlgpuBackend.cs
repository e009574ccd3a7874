using DrDam.ML.Memory;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// The batched steps as ILGPU kernels: shared-memory tiled matrix products, MrDAM's fused softmax
/// weighting, DrDAM's basis features, and — with on-demand Ω — Ω's rows generated on the device
/// from the counter-based seed, so Ω never crosses the bus. Runs on CUDA when a GPU is present, else
/// on ILGPU's CPU accelerator (a correctness reference, far slower than <see cref="ManagedBackend"/>).
/// Dispose it to release the device.
/// </summary>
public sealed class IlgpuBackend : IComputeBackend, IDisposable
{
    private readonly Context context;

    /// <summary>Creates the backend on <paramref name="device"/> (Auto: the first CUDA device, else the CPU accelerator).</summary>
    /// <exception cref="InvalidOperationException">Cuda was asked for and ILGPU finds no CUDA device.</exception>
    public IlgpuBackend(ComputeDevice device = ComputeDevice.Auto)
    {
        Guard.Defined(device, nameof(device));
        context = Context.Create(builder => builder.CPU().Cuda().EnableAlgorithms());
        var cuda = context.GetCudaDevices().Count > 0;
        if (device == ComputeDevice.Cuda && !cuda)
        {
            context.Dispose();
            throw new InvalidOperationException("device = Cuda, but ILGPU finds no CUDA device (check the NVIDIA driver and that libcuda is on the library path).");
        }
        Accelerator = device != ComputeDevice.Cpu && cuda ? context.CreateCudaAccelerator(0) : context.CreateCPUAccelerator(0);
        Kernels = new IlgpuKernelSet(Accelerator);
    }

    /// <summary>Whether a CUDA device exists for ILGPU on this machine.</summary>
    public static bool CudaAvailable()
    {
        using var probe = Context.Create(builder => builder.Cuda());
        return probe.GetCudaDevices().Count > 0;
    }

    /// <summary>Whether the kernels run on CUDA.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The accelerator's name as ILGPU reports it, e.g. the GPU's model.</summary>
    public string DeviceName => Accelerator.Name;

    /// <inheritdoc/>
    public string Name => IsCuda ? "ilgpu-cuda" : "ilgpu-cpu";

    internal Accelerator Accelerator { get; }

    internal IlgpuKernelSet Kernels { get; }

    /// <inheritdoc/>
    public IEnergyEvaluator CreateEvaluator(IAssociativeMemory memory, int maxBatch)
        => EvaluatorBase.Create(memory, maxBatch, m => new IlgpuMemoryMatrixEvaluator(this, m, maxBatch), d => new IlgpuDistributedMemoryEvaluator(this, d, maxBatch));

    /// <summary>Releases the accelerator and the ILGPU context.</summary>
    public void Dispose()
    {
        Kernels.Dispose();
        Accelerator.Dispose();
        context.Dispose();
    }
}
